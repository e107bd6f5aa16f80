import HTTPTypes
import ServiceRuntime

/// Bearer tokens for tests, signed with the secret `TestSettings.make` gives
/// every service, so a test calls a route as a user of that role would.
public enum TestTokens {
    /// `auth.jwt_secret` of every service a test builds (tests only).
    public static let secret = "asysta-tests-only-hs256-secret-not-for-deployments"

    /// The full `Authorization` header value, `"Bearer …"`, for a caller of
    /// `role`; `provider` names the NGO and is required for role provider.
    public static func bearer(_ role: Role, provider: String? = nil, subject: String? = nil) async throws -> String {
        let signer = await TokenSigner(secret: try JWTSecret(secret))
        let caller = Caller(subject: subject ?? "test-\(role.rawValue)", role: role, provider: provider)
        return "Bearer " + (try await signer.token(for: caller, lifetime: .seconds(3600)))
    }
}

extension TestTokens {
    /// `headers` plus the `Authorization` header of a caller of `role`.
    public static func headers(_ role: Role, provider: String? = nil, adding headers: HTTPFields = [:]) async throws -> HTTPFields {
        var headers = headers
        headers[.authorization] = try await bearer(role, provider: provider)
        return headers
    }
}
