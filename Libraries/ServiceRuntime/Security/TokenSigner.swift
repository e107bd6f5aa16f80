import FoundationEssentials
import JWTKit

/// Mints tokens with a private signing key, its `kid` in the header:
/// `asysta-admin token` for people and systems, `TestTokens` for tests.
public struct TokenSigner: Sendable {
    private let keys: JWTKeyCollection
    private let kid: JWKIdentifier
    /// The last token of each caller and lifetime, handed out again while at least
    /// half its lifetime is left: a page's calls, and the next pages for a while,
    /// carry the same token, which the services then verify once.
    private let minted = ExpiringMemory<MintedKey, String>(capacity: 4096)

    private struct MintedKey: Hashable {
        var caller: Caller
        var lifetime: Duration
    }

    public init(key: TokenSigningKey) async {
        kid = JWKIdentifier(string: key.kid)
        keys = await JWTKeyCollection().add(eddsa: EdDSA.PrivateKey(backing: key.key), kid: kid)
    }

    /// A token for `caller`, valid for `lifetime` (whole seconds) from `now`;
    /// `exp` is a whole number of seconds, as every JWT library reads it.
    public func token(for caller: Caller, lifetime: Duration, now: Date = Date()) async throws -> String {
        let seconds = Double(lifetime.components.seconds)
        let expires = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down))
        let key = MintedKey(caller: caller, lifetime: lifetime)
        if let last = minted.entry(for: key), last.expires.timeIntervalSince(now) >= seconds / 2, last.expires <= expires {
            return last.value
        }
        let token = try await sign(AccessClaims(caller: caller, expires: expires))
        minted.remember(token, for: key, until: expires)
        return token
    }

    /// Any claims, including ones the verifier must refuse (tests use this).
    func sign(_ claims: AccessClaims) async throws -> String {
        try await keys.sign(claims, kid: kid)
    }
}
