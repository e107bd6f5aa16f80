import FoundationEssentials
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Publishes outbox rows to Kafka and deletes them only after the broker's
/// acknowledgement, in the transaction that claimed them: a crash before that
/// commit re-publishes rather than loses (consumers' inboxes absorb the repeat).
/// Deleting costs less than marking: an UPDATE rewrites the row, payload and all.
///
/// A row refused for a reason that can pass (a timeout, a broker away) stays for
/// the next pass; the producer holds back the later rows of its key in that pass,
/// so none overtakes it. A row refused for good (too large, no such topic) is
/// parked in `outbox_parked` with its reason, logged as an error and counted
/// (`asysta_outbox_parked_total`), so it neither blocks its key nor is retried
/// forever; an operator replays it with `asysta-admin outbox parked replay`.
///
/// A pass runs in a transaction holding a transaction-scoped advisory lock: only
/// one replica publishes at a time, so no row is published twice at once and each
/// key's events leave in order. The lock is what excludes the others, so rows are
/// read without `FOR UPDATE`, which would write a lock into every row before its
/// DELETE writes again. A pass reads only the positions of the oldest rows: the
/// events this process wrote come from the `OutboxHandoff`, the rest from the table.
public struct OutboxRelay: Service {
    public struct Configuration: Sendable {
        public var batchSize: Int = 1000
        /// How long the relay sleeps when nothing woke it; signals cut it short.
        public var idlePoll: Duration = .milliseconds(250)
        public init() {}
    }

    private static let advisoryLock: Int64 = 0x6173_7973_7461  // "asysta"

    private let pool: PostgresPool
    private let producer: KafkaProducer
    private let handoff: OutboxHandoff
    private let configuration: Configuration
    private let logger: Logger
    private let published = Counter(label: "asysta_outbox_published_total")
    private let failures = Counter(label: "asysta_outbox_publish_failures_total")
    private let parked = Counter(label: "asysta_outbox_parked_total")
    /// From the commit of an event this process wrote until the broker acknowledged it:
    /// the wait for a pass and the pass's publish. Only events taken from the handoff are
    /// timed; one a pass found in the table before its handover is not.
    private let committedToAcknowledged = Timer(label: "asysta_outbox_wait_seconds")

    public init(pool: PostgresPool, producer: KafkaProducer, handoff: OutboxHandoff, configuration: Configuration = .init(), logger: Logger) {
        self.pool = pool
        self.producer = producer
        self.handoff = handoff
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let count = try await publishBatch()
                backoff = .milliseconds(100)
                if count < configuration.batchSize {
                    await cancelWhenGracefulShutdown { await handoff.wait(timeout: configuration.idlePoll) }
                }
            } catch {
                failures.increment()
                logger.warning("outbox relay failed; retrying", metadata: ["error": "\(error)", "backoff_ms": "\(backoff.wholeMilliseconds)"])
                let pause = backoff
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        // One last pass, so what committed before shutdown leaves with us.
        _ = try? await publishBatch()
    }

    /// Publishes up to one batch; returns how many rows it claimed.
    @discardableResult
    public func publishBatch() async throws -> Int {
        try await pool.withTransaction { connection in
            // One round trip: the positions read without the lock are dropped unread.
            let answers = try await connection.pipeline([
                "SELECT pg_try_advisory_xact_lock(\(Self.advisoryLock))",
                "SELECT position FROM outbox ORDER BY position LIMIT \(configuration.batchSize)",
            ])
            guard try answers[0].first?.decode(Bool.self, at: 0) == true else { return 0 }
            let positions = try answers[1].map { try $0.decode(Int64.self, at: 0) }
            guard !positions.isEmpty else { return 0 }
            let held = handoff.take(positions)
            var byPosition = held.mapValues(\.event)
            let unheld = positions.filter { byPosition[$0] == nil }
            if !unheld.isEmpty {
                for row in try await connection.query(
                    """
                    SELECT position, event_id, topic, partition_key, event_type, payload, headers::text
                    FROM outbox WHERE position = ANY(\(unheld)::bigint[])
                    """)
                {
                    let headerJSON = try row.decode(String?.self, at: 6)
                    byPosition[try row.decode(Int64.self, at: 0)] = OutgoingEvent(
                        id: try row.decode(String.self, at: 1),
                        topic: try row.decode(String.self, at: 2),
                        key: try row.decode(String.self, at: 3),
                        type: try row.decode(String.self, at: 4),
                        payload: try row.decode([UInt8].self, at: 5),
                        headers: try headerJSON.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
                    )
                }
            }
            let batch = positions.compactMap { position in byPosition[position].map { (position, $0) } }
            let reports = await producer.send(batch.map(\.1.kafkaMessage))
            let acknowledged = ContinuousClock.now
            var delivered: [Int64] = []
            for ((position, event), report) in zip(batch, reports) {
                switch report {
                case .success:
                    delivered.append(position)
                    if let committed = held[position]?.committed { committedToAcknowledged.record(duration: acknowledged - committed) }
                case let .failure(error) where error.isRetriable || error.isFatal:
                    if error.code != KafkaProducer.heldBack.code {
                        logger.warning(
                            "outbox event not delivered; it stays for the next pass", metadata: ["position": "\(position)", "error": "\(error)"])
                    }
                case let .failure(error):
                    try await OutboxParking.park(position, reason: error.message, on: connection)
                    parked.increment()
                    logger.error(
                        "outbox event refused for good and parked; replay it with asysta-admin outbox parked replay once fixed",
                        metadata: [
                            "position": "\(position)", "event_id": "\(event.id)", "topic": "\(event.topic)", "type": "\(event.type)",
                            "bytes": "\(event.payload.count)", "error": "\(error)",
                        ])
                }
            }
            try await connection.execute("DELETE FROM outbox WHERE position = ANY(\(delivered)::bigint[])")
            published.increment(by: delivered.count)
            return positions.count
        }
    }
}
