import Hummingbird
import HummingbirdAuth

/// Puts the caller of a valid `Authorization: Bearer` token into the context.
/// A missing or refused token leaves the context without one: open routes
/// (health, metrics, the OpenAPI document) still answer, and every other route
/// refuses with 401 when it calls `context.require`.
public struct BearerAuthenticator<Context: AuthRequestContext>: AuthenticatorMiddleware where Context.Identity == Caller {
    public let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let bearer = request.headers.bearer else { return nil }
        do {
            return try await verifier.verify(bearer.token)
        } catch {
            context.logger.debug("bearer token refused", metadata: ["reason": "\(error)"])
            return nil
        }
    }
}
