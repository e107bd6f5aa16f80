import Domain
import Hummingbird
import ServiceRuntime

/// The provider registry: NGOs (from the editions) and the assistants they register.
struct ProviderRoutes<Context: RequestContext, Repository: OrderingRepository>: Sendable {
    let repository: Repository

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: list)
        routes.get("{providerID}/assistants", use: assistants)
        routes.post("{providerID}/assistants", use: register)
        return routes
    }

    @Sendable func list(request: Request, context: Context) async throws -> JSONBody<[ProviderRecord]> {
        JSONBody(try await repository.providers())
    }

    @Sendable func assistants(request: Request, context: Context) async throws -> JSONBody<[AssistantRecord]> {
        guard let assistants = try await repository.assistants(of: try providerID(context)) else { throw APIError.notFound("the provider") }
        return JSONBody(assistants)
    }

    @Sendable func register(request: Request, context: Context) async throws -> JSONBody<AssistantRecord> {
        let new = try await request.decodeJSON(as: RegisterAssistantRequest.self, context: context).validated()
        let id = try providerID(context)
        return JSONBody(try await answering { try await repository.registerAssistant(new, providerID: id) }, status: .created)
    }

    private func providerID(_ context: Context) throws -> ProviderID {
        ProviderID(try context.parameters.require("providerID"))
    }
}
