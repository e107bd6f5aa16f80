import Hummingbird
import ServiceRuntime

extension PortalRequestContext {
    /// The signed-in person, if their role may use this page: without a session
    /// a sign-in that comes back here, with another role a 403 page.
    func person(_ request: Request, _ roles: Role...) throws(PortalDenial) -> Account {
        guard let account else { throw .signInNeeded(path: request.uri.path) }
        guard roles.isEmpty || roles.contains(account.role) else { throw .forbidden }
        return account
    }
}
