import Domain
import FoundationEssentials
import Kafka
import Logging
import Messaging
import Postgres
import ServiceRuntime

/// Rebuilds the read models from the start of the topics into a fresh database,
/// with a new consumer group, and compares the rebuilt exports with the live ones.
/// The live service keeps running; switching it to the rebuilt database is a
/// deployment step (point `postgres.url` at it).
struct Rebuilder: Sendable {
    let host: ServiceHost
    let handlers: EventHandlers

    struct Outcome: Codable, Sendable, Equatable {
        struct EditionComparison: Codable, Sendable, Equatable {
            var editionID: String
            var identical: Bool
            /// The export forms whose bytes differ.
            var differing: [String]
        }

        var database: String
        var consumerGroup: String
        var eventsApplied: Int64
        var identical: Bool
        var editions: [EditionComparison]
    }

    enum Problem: Error {
        case invalidDatabaseName
        /// PostgreSQL refused to create it (the service's role may lack CREATEDB).
        case cannotCreateDatabase(reason: String)
        case timedOut(applied: Int64, live: Int64)
    }

    /// `database` must match `[a-z][a-z0-9_]{0,62}`; it is created when missing and must be empty.
    func rebuild(into database: String, group: String? = nil, timeout: Duration = .seconds(600)) async throws -> Outcome {
        guard database.first.map({ $0 >= "a" && $0 <= "z" }) == true, database.count <= 63,
            database.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }),
            database != host.pool.configuration.database
        else { throw Problem.invalidDatabaseName }
        let group = group ?? host.consumerGroup + "-rebuild-" + database
        let logger = host.logger

        try await host.pool.withConnection { connection in
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(database)")
            if exists.isEmpty {
                // An identifier cannot be a bind parameter; the name was checked above.
                do {
                    try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"))
                } catch {
                    logger.error("rebuild: cannot create its database", metadata: ["database": "\(database)", "error": "\(error)"])
                    throw Problem.cannotCreateDatabase(reason: "\(error)")
                }
            }
        }
        var configuration = host.pool.configuration
        configuration.database = database
        configuration.poolSize = 4
        let pool = PostgresPool(configuration: configuration, logger: logger)

        let consumer = try KafkaConsumer(configuration: try host.messaging.consumerConfiguration(handlers, group: group), logger: logger)
        let loop = EventConsumer(
            name: group, consumer: consumer, pool: pool, outbox: Outbox(source: "/asysta/reporting-rebuild", topicPrefix: host.topicPrefix),
            handlers: handlers, logger: logger)
        let liveGroup = host.consumerGroup

        let hostPool = host.pool
        return try await withThrowingTaskGroup(of: Int64?.self) { tasks in
            tasks.addTask {
                try await pool.run()
                return nil
            }
            defer { tasks.cancelAll() }
            _ = try await MigrationRunner(pool: pool, logger: logger).apply(MessagingSchema.migrations + ReportingSchema.migrations())
            tasks.addTask {
                try await consumer.run()
                return nil
            }
            tasks.addTask {
                try await loop.run()
                return nil
            }
            tasks.addTask {
                let deadline = ContinuousClock.now + timeout
                var steady = 0
                var pace = CatchUpPace()
                while true {
                    let live = try await hostPool.withConnection { try await Self.inboxCount($0, consumer: liveGroup) }
                    let rebuilt = try await pool.withConnection { try await Self.inboxCount($0, consumer: group) }
                    steady = rebuilt >= live ? steady + 1 : 0
                    if steady >= 3 { return rebuilt }
                    guard ContinuousClock.now < deadline else { throw Problem.timedOut(applied: rebuilt, live: live) }
                    try await Task.sleep(for: pace.next(counted: rebuilt, target: live))
                }
            }
            var applied: Int64 = 0
            while let result = try await tasks.next() {
                if let result {
                    applied = result
                    break
                }
            }
            let comparisons = try await compare(live: ReportStore(pool: hostPool), rebuilt: ReportStore(pool: pool))
            return Outcome(
                database: database, consumerGroup: group, eventsApplied: applied,
                identical: comparisons.allSatisfy(\.identical), editions: comparisons)
        }
    }

    /// Every edition's three export forms, byte for byte.
    func compare(live: ReportStore, rebuilt: ReportStore) async throws -> [Outcome.EditionComparison] {
        let editions = try await live.pool.withConnection { connection in
            try await connection.query("SELECT edition_id FROM editions ORDER BY edition_id").map { try $0.decode(String.self, at: 0) }
        }
        var comparisons: [Outcome.EditionComparison] = []
        for edition in editions {
            let a = try await Self.exports(of: EditionID(edition), from: live)
            let b = try await Self.exports(of: EditionID(edition), from: rebuilt)
            let differing = ["json", "csv", "xlsx"].filter { a[$0] != b[$0] }
            comparisons.append(.init(editionID: edition, identical: differing.isEmpty, differing: differing))
        }
        return comparisons
    }

    /// Paces the counts of an inbox that is catching up. A count scans the whole table (about
    /// 120 ms at a million rows), so counting every 200 ms or so kept a backend busy a fifth of a
    /// replay; this waits half of what the rest should take at the rate seen since the last
    /// count, between 0.2 and 5 s.
    struct CatchUpPace {
        private var last: (count: Int64, at: ContinuousClock.Instant)?

        mutating func next(counted: Int64, target: Int64, at now: ContinuousClock.Instant = .now) -> Duration {
            defer { last = (counted, now) }
            guard let last, counted > last.count, target > counted else { return .milliseconds(200) }
            let rest = last.at.duration(to: now) * (Double(target - counted) / Double(counted - last.count))
            return min(.seconds(5), max(.milliseconds(200), rest / 2))
        }
    }

    static func inboxCount(_ connection: PostgresConnection, consumer: String) async throws -> Int64 {
        try await connection.query("SELECT count(*) FROM inbox WHERE consumer = \(consumer)").first?.decode(Int64.self, at: 0) ?? 0
    }

    /// The three export forms of an edition's whole period; empty when it is unknown.
    static func exports(of edition: EditionID, from store: ReportStore) async throws -> [String: [UInt8]] {
        guard let snapshot = try await store.snapshot(edition: edition, range: { try MonthRange.parse(from: nil, to: nil, edition: $0) }) else {
            return [:]
        }
        let report = ReportBuilder.build(snapshot)
        let tables = ReportTable.tables(of: report)
        return ["json": try JSONExport.render(report), "csv": CSVExport.render(tables), "xlsx": try XLSXExport.render(tables)]
    }
}
