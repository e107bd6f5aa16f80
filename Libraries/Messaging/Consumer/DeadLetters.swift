import Domain
import FoundationEssentials
import Kafka
import Postgres

/// A record one of this service's consumers refused, as operators list it.
public struct DeadLetterRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var consumer: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String
    /// The refusal's code ("unreadable-envelope", "invalid-data", "duplicate-id", …) and its explanation.
    public var reason: String
    public var message: String
    /// The record's first 4 KiB as text: operators only, since it may hold what the sender put in it.
    public var payload: String
    public var deadLetteredAt: Date
}

/// The dead letters a service keeps beside `<topic>.dlq`: written by the consumer
/// loop in the transaction that records the refusal, listed and replayed through
/// every service's `/admin/dead-letters` routes. A replay, once the cause is fixed
/// (a handler's bug, a missing provider), forgets the record in this consumer's
/// inbox and publishes its original bytes, key and headers again on its topic
/// through the outbox: this consumer applies it as new, exactly once, and every
/// other consumer group of the topic, which already has it, sees a redelivery.
public enum DeadLetters {
    struct Letter: Sendable {
        var message: KafkaMessage
        var inboxKey: String
        var reason: DeadLetter
    }

    static func record(_ letters: [Letter], consumer: String, on connection: PostgresConnection) async throws {
        guard !letters.isEmpty else { return }
        let headers: [String] = try letters.map { letter in
            let pairs = letter.message.headers.compactMap { header in header.value.map { (header.key, String(decoding: $0, as: UTF8.self)) } }
            return String(decoding: try JSONEncoder().encode(Dictionary(pairs, uniquingKeysWith: { _, last in last })), as: UTF8.self)
        }
        try await connection.execute(
            """
            INSERT INTO dead_letters (consumer, message_key, topic, kafka_partition, kafka_offset, record_key, payload, headers, reason, message)
            SELECT \(consumer), * FROM unnest(
                \(letters.map(\.inboxKey))::text[], \(letters.map(\.message.topic))::text[], \(letters.map { Int($0.message.partition) })::int[],
                \(letters.map(\.message.offset))::bigint[], \(letters.map { String(decoding: $0.message.key ?? [], as: UTF8.self) })::text[],
                \(letters.map(\.message.value))::bytea[], \(headers)::jsonb[], \(letters.map(\.reason.code))::text[],
                \(letters.map { String($0.reason.message.prefix(500)) })::text[])
            """)
    }

    /// The dead letters not yet replayed, newest first, at most `limit`, of one topic if given.
    public static func waiting(pool: PostgresPool, topic: String? = nil, limit: Int = 200) async throws -> [DeadLetterRecord] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT id, consumer, topic, kafka_partition, kafka_offset, record_key, reason, message,
                       substring(payload FROM 1 FOR 4096), dead_lettered_at
                FROM dead_letters WHERE replayed_at IS NULL AND (\(topic)::text IS NULL OR topic = \(topic))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).map { row in
                DeadLetterRecord(
                    id: try row.decode(Int64.self, at: 0), consumer: try row.decode(String.self, at: 1), topic: try row.decode(String.self, at: 2),
                    partition: Int32(try row.decode(Int.self, at: 3)), offset: try row.decode(Int64.self, at: 4),
                    key: try row.decode(String.self, at: 5), reason: try row.decode(String.self, at: 6), message: try row.decode(String.self, at: 7),
                    payload: String(decoding: try row.decode([UInt8].self, at: 8), as: UTF8.self), deadLetteredAt: try row.decode(Date.self, at: 9))
            }
        }
    }

    /// Replays the dead letters of `ids` not replayed yet; returns how many.
    public static func replay(_ ids: [Int64], pool: PostgresPool, outbox: Outbox) async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                UPDATE dead_letters SET replayed_at = now()
                WHERE id = ANY(\(ids)::bigint[]) AND replayed_at IS NULL
                RETURNING consumer, message_key, topic, record_key, payload, headers::text
                """)
            var events: [OutgoingEvent] = []
            var forgotten: [(consumer: String, key: String)] = []
            for row in rows {
                forgotten.append((try row.decode(String.self, at: 0), try row.decode(String.self, at: 1)))
                let headers = try JSONDecoder().decode([String: String].self, from: Data(try row.decode(String.self, at: 5).utf8))
                events.append(
                    OutgoingEvent(
                        id: randomUUIDString(), topic: try row.decode(String.self, at: 2), key: try row.decode(String.self, at: 3),
                        type: "replayed-dead-letter", payload: try row.decode([UInt8].self, at: 4), headers: headers))
            }
            try await connection.execute(
                """
                DELETE FROM inbox i USING unnest(\(forgotten.map(\.consumer))::text[], \(forgotten.map(\.key))::text[]) AS f(consumer, message_key)
                WHERE i.consumer = f.consumer AND i.message_key = f.message_key
                """)
            try await outbox.append(events, on: connection)
            return events.count
        }
    }
}
