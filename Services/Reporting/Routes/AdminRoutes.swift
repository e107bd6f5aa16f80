import Foundation
import Hummingbird
import ServiceRuntime

/// Operator actions (operators only).
struct AdminRoutes<Context: CallerRequestContext>: Sendable {
    let rebuilder: Rebuilder

    struct RebuildRequest: Decodable {
        /// The fresh database to rebuild into, e.g. "asysta_reporting_2025_01_10".
        var database: String
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("rebuild") { request, context in
            try context.require(.operator)
            let body = try await request.decodeJSON(as: RebuildRequest.self, context: context)
            do {
                return JSONBody(try await rebuilder.rebuild(into: body.database))
            } catch Rebuilder.Problem.invalidDatabaseName {
                throw APIError.invalid([.init(field: "database", message: "must match [a-z][a-z0-9_]{0,62} and differ from the live database")])
            } catch let Rebuilder.Problem.timedOut(applied, live) {
                throw APIError(.gatewayTimeout, code: "rebuild-timed-out", message: "the rebuild applied \(applied) of \(live) events before the time limit")
            }
        }
    }
}
