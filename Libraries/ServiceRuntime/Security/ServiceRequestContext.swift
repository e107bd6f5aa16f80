import Domain
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

    /// The participant the path's `participantID` names, if `caller` may act for them.
    /// Ids have at most 128 characters (the contracts' `Id`; JSON Schema counts code
    /// points): a longer one names nobody. Else a 404, as for an id that does not exist.
    public func participantParameter(for caller: Caller) throws -> ParticipantID {
        let id = try parameters.require("participantID")
        guard id.unicodeScalars.count <= 128, caller.mayActFor(ParticipantID(id)) else { throw APIError.notFound("the participant") }
        return ParticipantID(id)
    }
}
