/// The shared HS256 secret (`auth.jwt_secret`). Shorter than the SHA-256 output
/// it would be guessable, so a service refuses to start with one.
public struct JWTSecret: Sendable {
    public static let minimumBytes = 32
    let value: String

    public init(_ value: String) throws(JWTSecretError) {
        guard value.utf8.count >= Self.minimumBytes else { throw JWTSecretError(length: value.utf8.count) }
        self.value = value
    }
}

public struct JWTSecretError: Error, CustomStringConvertible {
    public var length: Int
    public var description: String {
        "the setting 'auth.jwt_secret' (ASYSTA_AUTH_JWT_SECRET) must hold at least \(JWTSecret.minimumBytes) bytes, it holds \(length); generate one with `openssl rand -hex 32`"
    }
}

extension Settings {
    /// `auth.jwt_secret`; a service does not start without a long enough one.
    public func jwtSecret() throws -> JWTSecret {
        try JWTSecret(try require("auth.jwt_secret"))
    }
}
