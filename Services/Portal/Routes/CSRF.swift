import Crypto
import Foundation

/// Cross-site request forgery: every state-changing form carries a token that
/// only a page of ours could have put there. The token is a hash of the
/// browser's own session (or pre-sign-in) cookie: another site can neither
/// read that cookie (HttpOnly, SameSite) nor plant one (the `__Host-` prefix),
/// so it cannot compute the token, and no server-side secret needs sharing
/// between replicas.
enum CSRF {
    static let field = "csrf"

    static func token(for cookie: String) -> String {
        Data(SHA256.hash(data: Data(("asysta-csrf:" + cookie).utf8))).base64URL
    }

    static func matches(_ sent: String, cookie: String) -> Bool {
        Secrets.equal(Array(sent.utf8), Array(token(for: cookie).utf8))
    }
}
