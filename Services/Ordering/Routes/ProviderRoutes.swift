import Domain
import Hummingbird
import ServiceRuntime

/// The provider registry: NGOs (from the editions) and the assistants they
/// register. Every role reads the list of NGOs; an NGO reads, registers and
/// changes only its own assistants (another's is a 404), as coordinators and
/// operators do for any NGO. An assistant's assigned orders: for staff, their NGO, and the
/// assistant themselves.
struct ProviderRoutes<Context: CallerRequestContext>: Sendable {
    let store: OrderingStore

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("providers", use: list)
        routes.get("providers/{providerID}/assistants", use: assistants)
        routes.post("providers/{providerID}/assistants", use: register)
        routes.put("providers/{providerID}/assistants/{assistantID}", use: change)
        routes.get("providers/{providerID}/assistants/{assistantID}/orders", use: assignedOrders)
        routes.put("providers/{providerID}/assistants/{assistantID}/qualifications/{kind}", use: recordQualification)
        return routes
    }

    @Sendable func list(request: Request, context: Context) async throws -> JSONBody<[ProviderRecord]> {
        // The NGOs of the programme are public: everyone signed in may list them.
        try context.require(.operator, .coordinator, .provider, .auditor, .assistant, .participant)
        return JSONBody(try await store.providers())
    }

    @Sendable func assistants(request: Request, context: Context) async throws -> JSONBody<[AssistantRecord]> {
        let caller = try context.require(.operator, .coordinator, .provider)
        let id = try providerID(context)
        guard caller.maySee(id), let assistants = try await store.assistants(of: id) else { throw APIError.notFound("the provider") }
        return JSONBody(assistants)
    }

    @Sendable func register(request: Request, context: Context) async throws -> JSONBody<AssistantRecord> {
        let caller = try context.require(.coordinator, .operator, .provider)
        let id = try providerID(context)
        guard caller.maySee(id) else { throw APIError.notFound("the provider") }
        let new = try await request.decodeJSON(as: RegisterAssistantRequest.self, context: context).validated()
        return JSONBody(try await answering { try await store.registerAssistant(new, providerID: id) }, status: .created)
    }

    /// Replaces an assistant's skills, weekly availability and exclusions; orders already assigned stay.
    @Sendable func change(request: Request, context: Context) async throws -> JSONBody<AssistantRecord> {
        let caller = try context.require(.coordinator, .operator, .provider)
        let id = try providerID(context)
        guard caller.maySee(id) else { throw APIError.notFound("the assistant") }
        let assistantID = AssistantID(try context.parameters.require("assistantID"))
        let profile = try await request.decodeJSON(as: RegisterAssistantRequest.self, context: context).validated()
        return JSONBody(try await answering { try await store.changeAssistant(assistantID, of: id, to: profile) })
    }

    /// The register of assistants: the NGO records a qualification its assistant holds
    /// (or its renewal); a statutory scheme's assignments and visits need each one valid.
    @Sendable func recordQualification(request: Request, context: Context) async throws -> JSONBody<AssistantRecord> {
        let caller = try context.require(.coordinator, .operator, .provider)
        let id = try providerID(context)
        guard caller.maySee(id) else { throw APIError.notFound("the assistant") }
        let assistantID = AssistantID(try context.parameters.require("assistantID"))
        let kindText = try context.parameters.require("kind")
        guard let kind = QualificationKind(rawValue: kindText) else {
            throw APIError.invalid([
                .init(field: "kind", message: "must be one of \(QualificationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            ])
        }
        let body = try await request.decodeJSON(as: QualificationRequest.self, context: context).validated(today: store.clock.day())
        let recorded = AssistantQualificationRecorded(
            assistantID: assistantID, providerID: id, kind: kind, obtainedOn: body.obtainedOn, validUntil: body.validUntil)
        guard let assistant = try await store.recordQualification(recorded) else { throw APIError.notFound("the assistant") }
        return JSONBody(assistant)
    }

    @Sendable func assignedOrders(request: Request, context: Context) async throws -> JSONBody<[OrderRecord]> {
        let caller = try context.require(.operator, .coordinator, .provider, .assistant)
        let id = try providerID(context)
        let assistantID = AssistantID(try context.parameters.require("assistantID"))
        guard caller.maySee(id), caller.role != .assistant || caller.assistant == assistantID.rawValue,
            let orders = try await store.orders(ofAssistant: assistantID, providerID: id)
        else { throw APIError.notFound("the assistant") }
        return JSONBody(orders)
    }

    private func providerID(_ context: Context) throws -> ProviderID {
        ProviderID(try context.parameters.require("providerID"))
    }
}
