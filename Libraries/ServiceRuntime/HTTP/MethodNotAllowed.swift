import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not serve answers `405` with `Allow`
/// (RFC 9110 §15.5.6) instead of the router's `404`, so a client learns what the
/// path does serve. The router sends what it cannot match through all its
/// middleware to a responder that throws `404`; added once every route is
/// (`ServiceHost.application`), this turns that into `405` when the path is known.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Route: Sendable {
        var segments: [String]
        var method: HTTPRequest.Method
    }

    let routes: [Route]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { Route(segments: $0.path.components.map(\.description), method: $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path.split(separator: "/").map(String.init)
            let allowed = methods(for: path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            throw APIError.methodNotAllowed(allowed)
        }
    }

    /// The methods of the route the router would take for `path`: where several
    /// match, a literal segment wins over a capture at the first place they differ
    /// (`/decisions/confirmations` over `/decisions/{id}`), as in the router's trie.
    func methods(for path: [String]) -> [HTTPRequest.Method] {
        let matching = routes.filter { Self.matches($0.segments, path) }
        let literal = { (route: Route) in route.segments.map { !Self.isCapture($0) } }
        guard let best = matching.map(literal).max(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else { return [] }
        return matching.filter { literal($0) == best }.map(\.method)
    }

    private static func isCapture(_ segment: String) -> Bool {
        segment.hasPrefix("{") || segment.hasPrefix(":") || segment.hasPrefix("*")
    }

    /// Captures (`{id}`, `:id`) and `*` match one segment, `**` the rest.
    static func matches(_ pattern: [String], _ path: [String]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            guard isCapture(segment) || segment == path[index] else { return false }
            index += 1
        }
        return index == path.count
    }
}
