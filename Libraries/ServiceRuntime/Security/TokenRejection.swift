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
    /// Role provider without the `provider` claim naming the NGO.
    case providerMissing
    /// A `provider` claim on a role that does not act for one NGO.
    case providerNotAllowed

    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .badSignature: "bad-signature"
        case .untrustedKey: "untrusted-key"
        case .expired: "expired"
        case .wrongIssuer: "wrong-issuer"
        case .unknownRole: "unknown-role"
        case .providerMissing: "provider-missing"
        case .providerNotAllowed: "provider-not-allowed"
        }
    }
}
