import Foundation
import JWTKit

/// Checks a bearer token: EdDSA signed by a key the service trusts (named by the
/// token's `kid`), issuer "asysta", not expired, a known role, and a provider id
/// exactly for role provider. An HS256 token, or one signed by a key no one gave
/// the service, is refused: no shared secret exists that a service could leak.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let kids: Set<String>

    public init(trusting trusted: TrustedTokenKeys) async {
        kids = Set(trusted.keys.map(\.kid))
        let keys = JWTKeyCollection()
        for (kid, key) in trusted.keys { await keys.add(eddsa: EdDSA.PublicKey(backing: key), kid: JWKIdentifier(string: kid)) }
        self.keys = keys
    }

    /// The caller a token names, or the reason it is refused.
    public func verify(_ token: String) async throws(TokenRejection) -> Caller {
        // The key is chosen by the token's kid, and only among the trusted ones: the
        // key collection would otherwise try its first key for a kid it does not know.
        guard let kid = Self.kid(of: token) else { throw .malformed }
        guard kids.contains(kid) else { throw .untrustedKey }
        do {
            return try await keys.verify(token, as: AccessClaims.self).caller()
        } catch let rejection as TokenRejection {
            throw rejection
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            // Not three base64url parts, not JSON, missing claims, or an algorithm other than EdDSA.
            throw .malformed
        }
    }

    /// The `kid` of a token's header, read before anything is trusted.
    private static func kid(of token: String) -> String? {
        guard let header = token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first,
            let data = Data(base64URL: header)
        else { return nil }
        struct Header: Decodable { var kid: String? }
        return (try? JSONDecoder().decode(Header.self, from: data))?.kid
    }
}
