import Foundation
import ServiceRuntime

/// The portal's random secrets and how it compares them.
enum Secrets {
    /// 256 random bits in base64url: session tokens, kept forms' ids, and an
    /// OpenID Connect sign-in's state, nonce and PKCE verifier.
    static func token() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URL
    }

    /// Whether two secrets are equal, in a time that does not tell where they differ.
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
