import FoundationEssentials
import Hummingbird
import ServiceRuntime

/// Operator actions (operators only).
struct AdminRoutes<Context: CallerRequestContext>: Sendable {
    let rebuilder: Rebuilder

    struct RebuildRequest: Decodable {
        /// The fresh database to rebuild into, e.g. "asysta_reporting_2025_01_10";
        /// without a body, `<live database>_rebuild_<UTC yyyyMMddHHmmss>`.
        var database: String
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("admin/rebuild") { request, context in
            try context.require(.operator)
            var request = request
            let sent = try await request.collectBody(upTo: Request.maximumJSONBody)
            let database =
                sent.readableBytes == 0
                ? Self.defaultDatabase(live: rebuilder.host.pool.configuration.database, at: Date())
                : try await request.decodeJSON(as: RebuildRequest.self, context: context).database
            do {
                return JSONBody(try await rebuilder.rebuild(into: database))
            } catch Rebuilder.Problem.invalidDatabaseName {
                throw APIError.invalid([.init(field: "database", message: "must match [a-z][a-z0-9_]{0,62} and differ from the live database")])
            } catch let Rebuilder.Problem.cannotCreateDatabase(reason) {
                throw APIError(
                    .conflict, code: "cannot-create-database",
                    message:
                        "PostgreSQL would not create '\(database)' (\(reason.prefix(200))); create it empty, owned by reporting's role, and try again"
                )
            } catch let Rebuilder.Problem.timedOut(applied, live) {
                throw APIError(
                    .gatewayTimeout, code: "rebuild-timed-out", message: "the rebuild applied \(applied) of \(live) events before the time limit")
            }
        }
        return routes
    }

    /// `<live>_rebuild_<UTC yyyyMMddHHmmss>`, the live name cut and made lower-case
    /// letters, digits and underscores so the whole stays a valid identifier.
    static func defaultDatabase(live: String, at time: Date) -> String {
        let suffix = "_rebuild_" + Date.ISO8601FormatStyle().format(time).filter(\.isNumber)  // UTC
        var base = String(live.lowercased().map { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") ? $0 : "_" })
        if base.first.map({ $0 >= "a" && $0 <= "z" }) != true { base = "r" + base }
        return String(base.prefix(63 - suffix.count)) + suffix
    }

}
