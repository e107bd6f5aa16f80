import JWTKit

/// Checks a bearer token: EdDSA signed by a key the service trusts (named by the
/// token's `kid`), issuer "asysta", not expired, a known role, and a provider id
/// exactly for role provider. An HS256 token, or one signed by a key no one gave
/// the service, is refused: no shared secret exists that a service could leak.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection

    public init(trusting trusted: TrustedTokenKeys) async {
        let keys = JWTKeyCollection()
        for (kid, key) in trusted.keys { await keys.add(eddsa: EdDSA.PublicKey(backing: key), kid: JWKIdentifier(string: kid)) }
        // No default key: the collection would otherwise check a token whose kid it
        // does not know (or that names none) against its first key.
        await keys.clearDefault()
        self.keys = keys
    }

    /// The caller a token names, or the reason it is refused.
    public func verify(_ token: String) async throws(TokenRejection) -> Caller {
        do {
            return try await keys.verify(token, as: AccessClaims.self).caller()
        } catch let rejection as TokenRejection {
            throw rejection
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch let error as JWTError where error.errorType == .noKeyProvided {
            throw .untrustedKey
        } catch {
            // Not three base64url parts, not JSON, missing claims, or an algorithm other than EdDSA.
            throw .malformed
        }
    }
}
