import Hummingbird
import Messaging
import Postgres

/// The records this service's consumers refused (operators only, since the
/// payloads may hold what senders put in them): `GET /admin/dead-letters` lists
/// those not yet replayed with their reasons, `POST /admin/dead-letters/replay`
/// sends the chosen ones back through the consumer once the cause is fixed (see
/// `DeadLetters`). The portal's operations page calls them.
public struct DeadLetterRoutes<Context: CallerRequestContext>: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    public init(pool: PostgresPool, outbox: Outbox) {
        self.pool = pool
        self.outbox = outbox
    }

    struct Waiting: Encodable, Sendable {
        var deadLetters: [DeadLetterRecord]
    }

    struct ReplayRequest: Decodable, Sendable {
        var ids: [Int64]
    }

    struct Replayed: Encodable, Sendable {
        var replayed: Int
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("admin/dead-letters") { request, context in
            try context.require(.operator)
            let topic = request.uri.queryParameters["topic"].map(String.init)
            return JSONBody(Waiting(deadLetters: try await DeadLetters.waiting(pool: pool, topic: topic)))
        }
        router.post("admin/dead-letters/replay") { request, context in
            try context.require(.operator)
            let body = try await request.decodeJSON(as: ReplayRequest.self, context: context)
            guard (1...1000).contains(body.ids.count) else {
                throw APIError.invalid([.init(field: "ids", message: "must name 1 to 1000 dead letters")])
            }
            return JSONBody(Replayed(replayed: try await DeadLetters.replay(body.ids, pool: pool, outbox: outbox)))
        }
    }
}
