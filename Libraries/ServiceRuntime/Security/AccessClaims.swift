import FoundationEssentials
import JWTKit

/// The claims of an Asysta token: `iss` "asysta", `sub`, `role`, the bindings
/// the role needs (`provider` for an NGO, `provider` and `assistant` for an
/// assistant, `participant` for a participant) and `exp`. The role stays a
/// string here so that an unknown role is a rejection of its own, not a
/// decoding failure.
struct AccessClaims: JWTPayload, Equatable {
    static let issuer = "asysta"

    var iss: IssuerClaim
    var sub: SubjectClaim
    var role: String
    var provider: String?
    var assistant: String?
    var participant: String?
    var exp: ExpirationClaim

    init(caller: Caller, expires: Date) {
        self.init(
            issuer: Self.issuer, subject: caller.subject, role: caller.role.rawValue, provider: caller.provider, assistant: caller.assistant,
            participant: caller.participant, expires: expires)
    }

    init(
        issuer: String, subject: String, role: String, provider: String?, assistant: String? = nil, participant: String? = nil,
        expires: Date
    ) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        self.role = role
        self.provider = provider
        self.assistant = assistant
        self.participant = participant
        exp = ExpirationClaim(value: expires)
    }

    /// Runs after the signature checked out.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard Date() < exp.value else { throw TokenRejection.expired }
        guard iss.value == Self.issuer else { throw TokenRejection.wrongIssuer }
        _ = try caller()
    }

    func caller() throws(TokenRejection) -> Caller {
        guard let role = Role(rawValue: role) else { throw .unknownRole }
        for (name, value) in [("provider", provider), ("assistant", assistant), ("participant", participant)] {
            switch (role.bindings.contains(name), value) {
            case (true, let value?) where !value.isEmpty: continue
            case (true, _): throw .missingClaim(name)
            case (false, nil): continue
            case (false, .some): throw .unexpectedClaim(name)
            }
        }
        return Caller(subject: sub.value, role: role, provider: provider, assistant: assistant, participant: participant)
    }
}
