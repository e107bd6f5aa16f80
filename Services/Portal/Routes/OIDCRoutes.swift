import Foundation
import Hummingbird
import Logging

/// Signing in at the identity provider (when `oidc.issuer` is set): the sign-in
/// page links here, the browser goes to the provider with a fresh state, nonce
/// and PKCE challenge, and comes back to `/logowanie/zewnetrzne/powrot` with a
/// code the portal trades for an ID token. Every refusal is a page in Polish.
struct OIDCRoutes: Sendable {
    let pages: Pages
    let accounts: AccountStore
    let provider: OIDCProvider
    let signIn: SignInRoutes
    /// `portal.public_url` + the callback path: what the provider sends the browser back to.
    let redirectURI: String

    static let callbackPath = "/logowanie/zewnetrzne/powrot"

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("logowanie/zewnetrzne", use: start)
        routes.get(RouterPath(Self.callbackPath), use: callback)
        return routes
    }

    @Sendable func start(request: Request, context: PortalRequestContext) async throws -> Response {
        let (state, nonce, verifier) = (Secrets.token(), Secrets.token(), Secrets.token())
        let next = LocalPath.checked(request.uri.queryParameters["dalej"].map(String.init) ?? "")
        let url: String
        do {
            url = try await provider.authorizationURL(state: state, nonce: nonce, verifier: verifier, redirectURI: redirectURI)
        } catch let failure as OIDCFailure {
            return refused(failure, context: context)
        }
        try await accounts.saveOIDCRequest(state: state, verifier: verifier, nonce: nonce, next: next)
        return .redirect(to: url, type: .normal)
    }

    @Sendable func callback(request: Request, context: PortalRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var pending: (verifier: String, nonce: String, next: String)?
        if let state = query["state"] { pending = try await accounts.takeOIDCRequest(state: String(state)) }
        // The person declined or cancelled at the provider (which may not send the state back).
        if query["error"] != nil || query["code"] == nil {
            try await accounts.audit("sign-in", address: context.address, outcome: "oidc-denied")
            return signIn.page(
                context, error: "Logowanie u \(provider.settings.label) zostało przerwane. Zaloguj się jeszcze raz.", status: .unauthorized)
        }
        guard let pending, let code = query["code"].map(String.init) else {
            return signIn.page(context, error: "Logowanie wygasło albo już się zakończyło. Zaloguj się jeszcze raz.", status: .badRequest)
        }
        do {
            let identity = try await provider.identity(code: code, verifier: pending.verifier, nonce: pending.nonce, redirectURI: redirectURI)
            let account = try await accounts.account(for: identity)
            try await accounts.audit("sign-in", address: context.address, accountID: account.id, outcome: "signed-in")
            return try await signIn.startSession(for: account, context: context, request: request, then: pending.next)
        } catch let failure as OIDCFailure {
            try await accounts.audit("sign-in", address: context.address, outcome: "oidc-refused")
            return refused(failure, context: context)
        }
    }

    private func refused(_ failure: OIDCFailure, context: PortalRequestContext) -> Response {
        let reference = String(UUID().uuidString.prefix(8)).uppercased()
        context.logger.warning("OIDC sign-in refused", metadata: ["reference": "\(reference)", "reason": "\(failure)"])
        switch failure {
        case .noRole, .missingBinding:
            return signIn.page(
                context,
                error:
                    "Twoje konto u \(provider.settings.label) nie ma dostępu do Platformy. Skontaktuj się z MOPS i podaj numer zgłoszenia \(reference).",
                status: .forbidden)
        case .providerUnreachable, .tokenRefused:
            return signIn.page(
                context,
                error:
                    "Nie udało się zalogować przez \(provider.settings.label). Spróbuj ponownie albo zaloguj się hasłem. Numer zgłoszenia: \(reference).",
                status: .badGateway)
        }
    }
}
