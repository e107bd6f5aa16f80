import Hummingbird
import Messaging
import Postgres

/// What every service's relay parked because the broker refused it for good
/// (operators only): `GET /admin/outbox/parked` lists the events with their
/// reasons, `POST /admin/outbox/parked/replay` puts them back in the outbox once
/// the cause is fixed. `asysta-admin outbox parked list|replay <service>` calls them.
public struct OutboxRoutes<Context: CallerRequestContext>: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    struct Parked: Encodable, Sendable {
        var events: [ParkedEvent]
    }

    struct Replayed: Encodable, Sendable {
        var replayed: Int
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("admin/outbox/parked") { _, context in
            try context.require(.operator)
            return JSONBody(Parked(events: try await OutboxParking.list(pool: pool)))
        }
        router.post("admin/outbox/parked/replay") { _, context in
            try context.require(.operator)
            return JSONBody(Replayed(replayed: try await OutboxParking.replay(pool: pool)))
        }
    }
}
