// Loads a year of 10 000 participants and 1 000 000 accounted entries into the
// reporting read models through the batch handler path (ReadModelWriter.record,
// 5 000 events a batch: unnest insert + set-based pricing), closes seven months,
// then times producing each export of the whole edition (5 runs each) and checks
// that the report holds every loaded entry and minute. No time is asserted.
//
//   scripts/bench --filter ReportingExport   (BENCH_PARTICIPANTS=10000 BENCH_ENTRIES=1000000)
import Domain
import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@testable import Reporting

@Suite("Reporting export benchmark", .enabled(if: ProcessInfo.processInfo.environment["ASYSTA_BENCHMARK"] != nil))
struct ReportingExportBenchmark {
    @Test("an edition of 10 000 participants and 1 000 000 accounted entries exports in every format")
    func exports() async throws {
        let environment = ProcessInfo.processInfo.environment
        let participants = Int(environment["BENCH_PARTICIPANTS"] ?? "") ?? 10_000
        let entries = Int(environment["BENCH_ENTRIES"] ?? "") ?? 1_000_000
        let logger = Logger(label: "reporting-benchmark")

        let configuration = try await TestPostgres.shared.createDatabase(prefix: "reporting_bench")
        let database = configuration.database
        let pool = PostgresPool(configuration: configuration, logger: logger)
        _ = try await MigrationRunner(pool: pool, logger: logger).apply(try ReportingSchema.migrations())
        print("database \(database): \(participants) participants, \(entries) accounted entries")

        let year = try ReportingYear(participants: participants, entries: entries)
        let rules = year.rules
        let writer = ReadModelWriter()
        let load = ContinuousClock.now
        try await pool.withTransaction { try await writer.editionPublished(rules, at: year.start, on: $0) }
        for start in stride(from: 0, to: participants, by: 2_000) {
            let grants = (start..<min(start + 2_000, participants)).map { (year.grant($0), year.start) }
            try await pool.withTransaction { try await writer.supportGranted(grants, on: $0) }
        }
        let batch = 5_000
        for start in stride(from: 0, to: entries, by: batch) {
            let changes = (start..<min(start + batch, entries)).flatMap { n in
                TimesheetChange.accounted(year.accounted(n), key: "/bench|\(n)", time: year.time(ofEntry: n))
            }
            try await pool.withTransaction { try await writer.record(changes, on: $0) }
        }
        for closing in year.closings {
            try await pool.withTransaction { try await writer.monthClosed(closing, on: $0) }
        }
        let loadTime = load.duration(to: .now)

        let repository = ReportStore(pool: pool)
        func report() async throws -> Report {
            ReportBuilder.build(try await repository.snapshot(edition: rules.id) { try MonthRange.parse(from: nil, to: nil, edition: $0) }!)
        }
        // Correctness only: every loaded entry and minute is in the report, each participant served.
        let total = try #require(try await report().hoursByMonth.last)
        let expectedMinutes = (0..<entries).reduce(Int64(0)) { $0 + Int64(year.minutes(ofEntry: $1)) }
        #expect(total.month == "total")
        #expect(total.entries == Int64(entries))
        #expect(total.minutes == expectedMinutes)
        #expect(total.participantsServed == Int64(min(participants, entries)))

        var rows: [(String, [Duration], Int)] = []
        func measure(_ label: String, _ body: () async throws -> Int) async throws {
            var timings: [Duration] = []
            var size = 0
            for _ in 0..<5 {
                let started = ContinuousClock.now
                size = try await body()
                timings.append(started.duration(to: .now))
            }
            rows.append((label, timings.sorted(), size))
        }
        try await measure("snapshot + report") { try await report().hoursByMonth.count }
        try await measure("export.json") { try JSONExport.render(try await report()).count }
        try await measure("export.csv") { CSVExport.render(ReportTable.tables(of: try await report())).count }
        try await measure("export.xlsx") { try XLSXExport.render(ReportTable.tables(of: try await report())).count }

        func ms(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%9.1f", value)
        }
        func pad(_ text: String) -> String { text.padding(toLength: 18, withPad: " ", startingAt: 0) }
        print(
            """

            Reporting export: \(participants) participants, \(entries) accounted entries, database \(database)
            load (batch handler path, 8 months, 7 closed): \(ms(loadTime)) ms
            \(pad("form")) median ms    min ms    max ms   (5 runs, each from the read models)   bytes
            """)
        for (label, timings, size) in rows {
            print("\(pad(label)) \(ms(timings[2])) \(ms(timings[0])) \(ms(timings[4]))   \(size)")
        }
        await pool.close()
    }
}
