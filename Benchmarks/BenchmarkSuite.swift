import Domain
import Foundation
import Kafka
import Logging
import Postgres
import TestSupport
import Testing

/// One run, in order, on this machine's own PostgreSQL and broker: the pre-loaded
/// NGO entries, the raw limit and the naive baseline over the same records, then
/// the services. Figures are printed and written to `.build/bench-results.json`;
/// the only expectations are about counts.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ASYSTA_BENCHMARK"] != nil), .serialized)
struct Benchmarks {
    static var entries: Int { ProcessInfo.processInfo.environment["ASYSTA_BENCH_ENTRIES"].flatMap(Int.init) ?? 200_000 }

    /// `ASYSTA_BENCH_SKIP=naive,http,replay,footprint` leaves those parts out, while working on another
    /// (the raw limit and the pipeline always run: the pipeline's figures are fractions of the raw limit).
    static func runs(_ part: String) -> Bool {
        !(ProcessInfo.processInfo.environment["ASYSTA_BENCH_SKIP"] ?? "").split(separator: ",").contains { $0 == part }
    }

    @Test func everything() async throws {
        let report = BenchReport()
        var logger = Logger(label: "asysta.bench")
        logger.logLevel = .warning
        let entries = Self.entries
        let namespace = TestSettings.uniqueNamespace("bench")
        let prefix = namespace + "."
        let kafka = TestBroker.shared.configuration(clientID: "asysta-bench")
        let submissions = prefix + Topic.timesheetSubmissions.name

        try await recordEnvironment(report)
        report.environment("entries", String(entries))

        // The NGO topic and the reference topics, as the services would create them.
        try await KafkaAdmin.createTopics(
            Topic.all.map { KafkaTopicSpec(name: prefix + $0.name, partitions: 6) }, configuration: kafka)

        var fixture = try EntryFixture(entries: entries + TimesheetPipeline.steadyEntries)
        var pipeline = try await TimesheetPipeline.prepare(namespace: namespace, kafka: kafka, report: report, logger: logger)

        // Pre-load: reference data, then the signed entries.
        var started = now()
        let reference = try fixture.referenceEvents()
        try await produceAll(
            reference.map { KafkaOutgoingMessage(topic: prefix + $0.topic.name, key: Array($0.key.utf8), value: $0.value) }, kafka: kafka,
            logger: logger)
        try await pipeline.awaitReference(orders: fixture.days * EntryFixture.participants, fixture: &fixture)
        let records = try fixture.signedRecords(0..<entries, topic: submissions)
        try await produceAll(records, kafka: kafka, logger: logger)
        report.note(
            "pre-loaded \(reference.count) reference events and \(records.count) signed entries (\(records.map(\.value.count).reduce(0, +) / max(1, records.count)) bytes each) in \(String(format: "%.1f", now() - started)) s"
        )

        // (2) The raw limit.
        let rawDatabase = try await TestPostgres.shared.createDatabase(prefix: "bench_raw")
        let raw = try await RawLimit.run(
            bootstrapServers: TestBroker.shared.bootstrapServers, topic: submissions, expected: entries, database: rawDatabase)
        let rawRows = try await count("raw_records", in: rawDatabase, logger: logger)
        #expect(rawRows == entries)
        let rawRate = Double(entries) / raw.seconds
        report.record("raw limit (librdkafka + COPY)", "throughput", rawRate, "entries/s")
        report.record("raw limit (librdkafka + COPY)", "time", raw.seconds, "s")
        report.record("raw limit (librdkafka + COPY)", "until first record", raw.firstRecord, "s")
        report.record("raw limit (librdkafka + COPY)", "in COPY", raw.copying, "s")

        // (3) The naive baseline.
        var naiveRate: Double?
        if Self.runs("naive") {
            started = now()
            let naiveDatabase = try await TestPostgres.shared.createDatabase(prefix: "bench_naive")
            let keys = Dictionary(uniqueKeysWithValues: fixture.keys.map { ($0.keyID, $0.secret) })
            let naive = try await NaiveBaseline.run(
                kafka: kafka, topic: submissions, expected: entries, database: naiveDatabase, keys: keys, logger: logger)
            let naiveRows = try await count("entry_versions", in: naiveDatabase, logger: logger)
            #expect(naiveRows == entries)
            let throughput = Double(entries) / naive.seconds
            naiveRate = throughput
            report.record("naive (1 tx + 1 INSERT per entry)", "throughput", throughput, "entries/s")
            report.record("naive (1 tx + 1 INSERT per entry)", "time", naive.seconds, "s")
            report.record("naive vs raw", "fraction of raw", throughput / rawRate, "×")
        }

        // (1) The timesheet pipeline over the same records, then at a steady rate.
        try await checkpoint(before: "timesheet pipeline", report: report)
        let rate = try await pipeline.measureBacklog(fixture: fixture, entries: entries, report: report)
        report.record("timesheet pipeline", "fraction of raw", rate / rawRate, "×")
        if let naiveRate { report.record("timesheet pipeline", "vs naive", rate / naiveRate, "×") }
        // The broker alone at each steady rate, on a topic of its own: the floor under each steady phase.
        for phase in TimesheetPipeline.steadyPhases {
            try await BrokerFloor.run(
                phase, fixture: fixture, from: entries + TimesheetPipeline.steadyEntries, namespace: namespace, kafka: kafka, report: report,
                logger: logger)
        }
        var first = entries
        try await checkpoint(before: "steady phases", report: report)
        for phase in TimesheetPipeline.steadyPhases {
            try await pipeline.measureLatency(phase, fixture: fixture, from: first, report: report)
            first += phase.entries
        }
        await pipeline.stop(report: report)

        // (4) HTTP and the ordering service's footprint.
        if Self.runs("http") {
            try await checkpoint(before: "HTTP", report: report)
            try await HTTPBenchmark.run(fixture: fixture, kafka: kafka, report: report, logger: logger)
        }
        // (5) Replay of reporting's read models, (6) every service's footprint.
        if Self.runs("replay") {
            try await checkpoint(before: "replay", report: report)
            try await ReportingReplayBenchmark.run(report: report)
        }
        if Self.runs("footprint") {
            try await checkpoint(before: "footprint", report: report)
            try await Footprint.run(kafka: kafka, report: report)
        }

        try report.finish(root: repositoryRoot)
    }

    /// Each timed part starts with the previous parts' writes on disk: PostgreSQL would
    /// otherwise flush them during it (a checkpoint spreads over minutes), and charge one
    /// part for another's work. How long each took is noted, since it is real work too.
    private func checkpoint(before part: String, report: BenchReport) async throws {
        let started = now()
        try await TestPostgres.shared.checkpoint()
        report.note("CHECKPOINT before \(part): \(String(format: "%.2f", now() - started)) s")
    }

    private func recordEnvironment(_ report: BenchReport) async throws {
        report.environment("cores", String(ProcessInfo.processInfo.activeProcessorCount))
        report.environment("librdkafka", librdkafkaVersion)
        let version = try await TestPostgres.shared.createDatabase(prefix: "bench_meta").withPool { pool in
            try await pool.withConnection { try await $0.query("SHOW server_version")[0].decode(String.self, at: 0) }
        }
        report.environment("postgresql", version)
        report.environment(
            "postgresql durability",
            TestPostgres.isDurable
                ? "defaults (fsync, synchronous_commit, full_page_writes on)" : "off (fsync, synchronous_commit, full_page_writes off)")
        report.environment("broker", brokerVersion())
    }

    private func brokerVersion() -> String {
        let binary =
            ProcessInfo.processInfo.environment["TANSU"].flatMap { $0.isEmpty ? nil : $0 }
            ?? repositoryRoot.appendingPathComponent(".deps/bin/tansu").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "tansu (unknown version)" }
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func count(_ table: String, in database: PostgresConfiguration, logger: Logger) async throws -> Int {
        try await database.withPool { pool in
            try await pool.withConnection { try await $0.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))[0].decode(Int.self, at: 0) }
        }
    }
}

extension PostgresConfiguration {
    /// A short-lived pool of one connection.
    func withPool<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        var configuration = self
        configuration.poolSize = 1
        return try await PostgresPool.with(configuration, logger: Logger(label: "asysta.bench.pg"), body)
    }
}
