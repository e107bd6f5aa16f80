/// Why a bearer token was refused. Every case is a 401 for the client; the
/// reason goes to the debug log only, never to the response.
public enum TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    case badSignature
    /// Signed by a key (`kid`) the service does not trust.
    case untrustedKey
    case expired
    case wrongIssuer
    case unknownRole
    /// A claim the role needs is absent or empty: `provider` for an NGO or an
    /// assistant, `assistant` for an assistant, `participant` for a participant.
    case missingClaim(String)
    /// A binding claim on a role that does not act for one (a coordinator with a `provider`).
    case unexpectedClaim(String)

    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .badSignature: "bad-signature"
        case .untrustedKey: "untrusted-key"
        case .expired: "expired"
        case .wrongIssuer: "wrong-issuer"
        case .unknownRole: "unknown-role"
        case let .missingClaim(claim): "missing-claim-\(claim)"
        case let .unexpectedClaim(claim): "unexpected-claim-\(claim)"
        }
    }
}
