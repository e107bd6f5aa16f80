import Foundation
import Hummingbird
import ServiceRuntime

/// Operators issue an NGO the key it signs its timesheet entries with, and
/// rotate it when a secret may have leaked: timesheet makes the key, the page
/// shows the secret once (never stored by the portal, never logged), and the
/// NGO's earlier keys stay valid for timesheet's grace period.
struct SigningKeyRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("klucze") { request, context in
            let account = try context.person(request, .operator)
            return pages.render(
                "signing-keys", title: "Klucze organizacji", context: context,
                content: ["providers": try await services.providers(as: account).sorted { $0.name < $1.name }], path: "/klucze")
        }
        routes.post("klucze", use: issue)
        return routes
    }

    private struct SigningKey: Decodable {
        var keyId: String
        var secretHex: String
    }

    struct Issued: Sendable {
        var provider: String
        var keyId: String
        var secret: String
    }

    @Sendable func issue(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let providerID = context.form["organizacja"]
        guard let provider = try await services.providers(as: account).first(where: { $0.providerID == providerID }) else {
            throw PortalDenial.notFound
        }
        let answer = try await services.send(.POST, .timesheet, "/providers/\(providerID.urlComponentEncoded)/keys", as: account)
        guard answer.status == .created, let key = try? JSONDecoder().decode(SigningKey.self, from: answer.body) else {
            throw ServiceCallFailure.answered(.timesheet, answer.status.code)
        }
        return pages.render(
            "signing-key-issued", title: "Nowy klucz organizacji", context: context,
            content: Issued(provider: provider.name, keyId: key.keyId, secret: key.secretHex), path: "/klucze")
    }
}
