import FoundationEssentials
import Postgres

/// An event the relay took out of the outbox because the broker refused it for good.
public struct ParkedEvent: Sendable, Codable, Equatable {
    /// Its place in the outbox, which a replay gives back.
    public var position: Int64
    public var eventID: String
    public var topic: String
    public var key: String
    public var type: String
    /// The payload's size: the usual reason is a record over the topic's limit.
    public var bytes: Int
    public var reason: String
    public var parkedAt: Date
}

/// Where permanently refused events wait for an operator: parked by the relay in
/// the pass that was refused, listed and replayed through every service's
/// `/admin/outbox/parked` routes (`asysta-admin outbox parked`).
public enum OutboxParking {
    /// Moves the row from the outbox to `outbox_parked`, in the relay's transaction.
    static func park(_ position: Int64, reason: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH parked AS (DELETE FROM outbox WHERE position = \(position)
                            RETURNING position, event_id, topic, partition_key, event_type, payload, headers, created_at)
            INSERT INTO outbox_parked (position, event_id, topic, partition_key, event_type, payload, headers, created_at, reason)
            SELECT position, event_id, topic, partition_key, event_type, payload, headers, created_at, \(reason) FROM parked
            """)
    }

    /// Every parked event, oldest first.
    public static func list(pool: PostgresPool) async throws -> [ParkedEvent] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT position, event_id, topic, partition_key, event_type, octet_length(payload), reason, parked_at
                FROM outbox_parked ORDER BY position
                """
            ).map { row in
                ParkedEvent(
                    position: try row.decode(Int64.self, at: 0), eventID: try row.decode(String.self, at: 1),
                    topic: try row.decode(String.self, at: 2),
                    key: try row.decode(String.self, at: 3), type: try row.decode(String.self, at: 4), bytes: try row.decode(Int.self, at: 5),
                    reason: try row.decode(String.self, at: 6), parkedAt: try row.decode(Date.self, at: 7))
            }
        }
    }

    /// Puts every parked event back in the outbox at its old position, so the relay
    /// sends it before anything written since; returns how many. One the broker still
    /// refuses is parked again.
    public static func replay(pool: PostgresPool) async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                WITH replayed AS (DELETE FROM outbox_parked
                                  RETURNING position, event_id, topic, partition_key, event_type, payload, headers, created_at)
                INSERT INTO outbox (position, event_id, topic, partition_key, event_type, payload, headers, created_at)
                SELECT * FROM replayed RETURNING position
                """
            ).count
        }
    }
}
