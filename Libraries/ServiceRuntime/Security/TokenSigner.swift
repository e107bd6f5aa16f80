import Foundation
import JWTKit

/// Mints tokens with a private signing key, its `kid` in the header:
/// `asysta-admin token` for people and systems, `TestTokens` for tests.
public struct TokenSigner: Sendable {
    private let keys: JWTKeyCollection
    private let kid: JWKIdentifier

    public init(key: TokenSigningKey) async {
        kid = JWKIdentifier(string: key.kid)
        keys = await JWTKeyCollection().add(eddsa: EdDSA.PrivateKey(backing: key.key), kid: kid)
    }

    /// A token for `caller`, valid for `lifetime` (whole seconds) from `now`;
    /// `exp` is a whole number of seconds, as every JWT library reads it.
    public func token(for caller: Caller, lifetime: Duration, now: Date = Date()) async throws -> String {
        let expires = (now.timeIntervalSince1970 + Double(lifetime.components.seconds)).rounded(.down)
        return try await sign(AccessClaims(caller: caller, expires: Date(timeIntervalSince1970: expires)))
    }

    /// Any claims, including ones the verifier must refuse (tests use this).
    func sign(_ claims: AccessClaims) async throws -> String {
        try await keys.sign(claims, kid: kid)
    }
}
