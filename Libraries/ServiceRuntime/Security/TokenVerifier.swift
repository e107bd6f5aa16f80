import FoundationEssentials
import JWTKit

/// Checks a bearer token: EdDSA signed by a key the service trusts (named by the
/// token's `kid`), issuer "asysta", not expired, a known role, and a provider id
/// exactly for role provider. An HS256 token, or one signed by a key no one gave
/// the service, is refused: no shared secret exists that a service could leak.
///
/// A token verified once is answered from memory until it expires: a page makes
/// several calls with one token, and checking an Ed25519 signature was a fifth of
/// a busy read route's CPU. The same bytes verify the same way, and expiry is still
/// checked on every request.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    let verified = VerifiedTokens(capacity: 1024)

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
        if let caller = try verified.caller(of: token, now: Date()) { return caller }
        do {
            let claims = try await keys.verify(token, as: AccessClaims.self)
            let caller = try claims.caller()
            verified.remember(token, caller: caller, until: claims.exp.value)
            return caller
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

/// Tokens whose signature and claims held, with their caller, until they expire.
typealias VerifiedTokens = ExpiringMemory<String, Caller>

extension ExpiringMemory<String, Caller> {
    /// The caller of a token verified before; nil if it was not; `.expired` once it is.
    func caller(of token: String, now: Date) throws(TokenRejection) -> Caller? {
        guard let known = entry(for: token) else { return nil }
        guard now < known.expires else {
            forget(token)
            throw .expired
        }
        return known.value
    }

    func remember(_ token: String, caller: Caller, until expires: Date) {
        remember(caller, for: token, until: expires)
    }
}
