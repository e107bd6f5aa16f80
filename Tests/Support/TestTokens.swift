import HTTPTypes
import ServiceRuntime

/// Bearer tokens for tests, signed with a key pair made for this test run: every
/// service a test builds trusts its public half (`trustedKeys`), so a test calls a
/// route as a user of that role would, and no key is written anywhere.
public enum TestTokens {
    /// The run's signing key (asysta-admin's role in a deployment).
    public static let key = TokenSigningKey.generate(kid: "asysta-tests")
    /// `auth.jwks` of every service a test builds.
    public static let trustedKeys = TrustedTokenKeys.jwks([key.publicJWK])

    /// The full `Authorization` header value, `"Bearer …"`, for a caller of
    /// `role` with its bindings: `provider` for an NGO or an assistant,
    /// `assistant` for an assistant, `participant` for a participant.
    public static func bearer(
        _ role: Role, provider: String? = nil, assistant: String? = nil, participant: String? = nil, subject: String? = nil
    ) async throws -> String {
        let signer = await TokenSigner(key: key)
        let caller = Caller(
            subject: subject ?? "test-\(role.rawValue)", role: role, provider: provider, assistant: assistant, participant: participant)
        return "Bearer " + (try await signer.token(for: caller, lifetime: .seconds(3600)))
    }
}

extension TestTokens {
    /// `headers` plus the `Authorization` header of a caller of `role`.
    public static func headers(
        _ role: Role, provider: String? = nil, assistant: String? = nil, participant: String? = nil, adding headers: HTTPFields = [:]
    ) async throws -> HTTPFields {
        var headers = headers
        headers[.authorization] = try await bearer(role, provider: provider, assistant: assistant, participant: participant)
        return headers
    }
}

extension TestTokens {
    /// Bearer tokens of the two roles the programme serves rather than runs: a
    /// participant and an assistant of `provider`, for the routes they may not use.
    public static func participantAndAssistant(provider: String = "fundacja-imago") async throws -> [String] {
        [try await bearer(.participant, participant: "p-anna"), try await bearer(.assistant, provider: provider, assistant: "a-ola")]
    }
}
