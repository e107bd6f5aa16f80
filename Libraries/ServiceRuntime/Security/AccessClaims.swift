import Foundation
import JWTKit

/// The claims of an Asysta token: `iss` "asysta", `sub`, `role`, `provider`
/// (for role provider only) and `exp`. The role stays a string here so that an
/// unknown role is a rejection of its own, not a decoding failure.
struct AccessClaims: JWTPayload, Equatable {
    static let issuer = "asysta"

    var iss: IssuerClaim
    var sub: SubjectClaim
    var role: String
    var provider: String?
    var exp: ExpirationClaim

    init(caller: Caller, expires: Date) {
        self.init(issuer: Self.issuer, subject: caller.subject, role: caller.role.rawValue, provider: caller.provider, expires: expires)
    }

    init(issuer: String, subject: String, role: String, provider: String?, expires: Date) {
        iss = IssuerClaim(value: issuer)
        sub = SubjectClaim(value: subject)
        self.role = role
        self.provider = provider
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
        switch (role, provider) {
        case (.provider, let provider?) where !provider.isEmpty: break
        case (.provider, _): throw .providerMissing
        case (_, nil): break
        case (_, .some): throw .providerNotAllowed
        }
        return Caller(subject: sub.value, role: role, provider: provider)
    }
}
