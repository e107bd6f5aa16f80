import Hummingbird
import HummingbirdAuth

/// A request context that carries the caller of a verified bearer token, so
/// routes written against it can check roles with `context.require(...)`.
public protocol CallerRequestContext: AuthRequestContext where Identity == Caller {}

/// The request context of every service: Hummingbird's core context plus the
/// caller that `BearerAuthenticator` found in the request, if any.
public struct ServiceRequestContext: CallerRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }
}

extension AuthRequestContext where Identity == Caller {
    /// The caller, if their role may use this route: without a valid token a
    /// 401 `unauthenticated`, with another role a 403 `forbidden`.
    @discardableResult
    public func require(_ roles: Role...) throws(APIError) -> Caller {
        guard let caller = identity else { throw .unauthenticated }
        guard roles.contains(caller.role) else { throw .forbidden(caller.role) }
        return caller
    }
}
