import Hummingbird
import NIOCore

/// A portal request: who is signed in (if anyone), the cookie the CSRF token
/// is derived from, and the posted form, parsed once.
struct PortalRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's address, for throttling and the audit trail.
    let address: String
    var account: Account?
    /// The raw session token, when the browser sent one that is still live.
    var sessionToken: String?
    /// The value the page's CSRF token is derived from: the session cookie, or
    /// the anonymous form cookie before sign-in.
    var csrfSource: String?
    var form = FormFields()
    /// The files of a `multipart/form-data` form, by field name.
    var files: [String: UploadedFile] = [:]
    /// The form came from a browser that had no cookie: it cannot carry a valid token.
    var formCookieIsNew = false
    /// The posted body was over its limit: read and dropped, answered with the Polish page.
    var bodyTooLarge = false

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        switch source.channel.remoteAddress {
        case let .v4(address)?: self.address = address.host
        case let .v6(address)?: self.address = address.host
        default: self.address = "unknown"
        }
    }

    /// The page's CSRF token (see `CSRF`).
    var csrfToken: String { csrfSource.map(CSRF.token(for:)) ?? "" }
}
