import Domain
import Hummingbird
import ServiceRuntime

/// A participant's view: their orders and their allowance. A participant sees
/// only their own (another's id is a 404, like a missing one); an NGO sees only
/// the orders assigned to it; auditors see allowances (hours, no personal data).
struct ParticipantRoutes<Context: CallerRequestContext>: Sendable {
    let store: OrderingStore

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("participants/{participantID}/orders", use: orders)
        routes.get("participants/{participantID}/allowance", use: allowance)
        return routes
    }

    @Sendable func orders(request: Request, context: Context) async throws -> JSONBody<[OrderRecord]> {
        let caller = try context.require(.coordinator, .operator, .provider, .participant)
        return JSONBody(try await store.orders(of: try context.participantParameter(for: caller)).filter(caller.maySee))
    }

    /// `?editionID=2024` picks the grant of that edition; otherwise the latest grant.
    @Sendable func allowance(request: Request, context: Context) async throws -> JSONBody<AllowanceRecord> {
        let caller = try context.require(.coordinator, .operator, .auditor, .participant)
        let edition = request.uri.queryParameters.get("editionID").map { EditionID($0) }
        guard let allowance = try await store.allowance(of: try context.participantParameter(for: caller), editionID: edition) else {
            throw APIError(.notFound, code: "no-grant", message: "the participant has no grant of support")
        }
        return JSONBody(allowance)
    }
}
