import JWTKit

/// Checks a bearer token: HS256 with the shared secret, issuer "asysta", not
/// expired, a known role, and a provider id exactly for role provider.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection

    /// - Parameter secret: `auth.jwt_secret`, at least `JWTSecret.minimumBytes` long.
    public init(secret: JWTSecret) async {
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret.value), digestAlgorithm: .sha256)
    }

    /// The caller a token names, or the reason it is refused.
    public func verify(_ token: String) async throws(TokenRejection) -> Caller {
        do {
            return try await keys.verify(token, as: AccessClaims.self).caller()
        } catch let rejection as TokenRejection {
            throw rejection
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            // Not three base64url parts, not JSON, missing claims, or an algorithm other than HS256.
            throw .malformed
        }
    }
}
