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
@testable import Reporting
import TestSupport
import Testing

@Suite("Reporting export benchmark", .enabled(if: ProcessInfo.processInfo.environment["ASYSTA_BENCHMARK"] != nil))
struct ReportingExportBenchmark {
    @Test("an edition of 10 000 participants and 1 000 000 accounted entries exports in every format")
    func exports() async throws {
        let environment = ProcessInfo.processInfo.environment
        let participants = Int(environment["BENCH_PARTICIPANTS"] ?? "") ?? 10_000
        let entries = Int(environment["BENCH_ENTRIES"] ?? "") ?? 1_000_000
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let migration = root.appendingPathComponent("Services/Reporting/Migrations/0100_create_read_models.sql").path
        let logger = Logger(label: "reporting-benchmark")

        let configuration = try await TestPostgres.shared.createDatabase(prefix: "reporting_bench")
        let database = configuration.database
        let pool = PostgresPool(configuration: configuration, logger: logger)
        _ = try await MigrationRunner(pool: pool, logger: logger)
            .apply([Migration(version: 100, name: "create_read_models", sql: try String(contentsOfFile: migration, encoding: .utf8))])
        print("database \(database): \(participants) participants, \(entries) accounted entries")

        let rules = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: root.appendingPathComponent("deploy/editions/2022.json")))
        let writer = ReadModelWriter()
        let t0 = Date(timeIntervalSince1970: 1_650_000_000)
        let load = ContinuousClock.now
        try await pool.withTransaction { try await writer.editionPublished(EditionPublished(rules: rules), at: t0, on: $0) }

        let categories: [ParticipantGroup] = ParticipantGroup.Category.allCases.flatMap { c in [false, true].map { ParticipantGroup(category: c, multipleDisabilities: $0) } }
        for start in stride(from: 0, to: participants, by: 2_000) {
            let grants = (start..<min(start + 2_000, participants)).map { n in
                (SupportGranted(grantID: GrantID("g\(n)"), participantID: ParticipantID("p\(n)"), applicationID: ApplicationID("a\(n)"), editionID: rules.id,
                                group: categories[n % categories.count], hours: 360, period: rules.period, grantedOn: CalendarDate("2022-04-30")!), t0)
            }
            try await pool.withTransaction { try await writer.supportGranted(grants, on: $0) }
        }

        // May–December, 1 000 000 entries: participant n % participants, its provider n % 8, 400 assistants.
        let months = (5...12).map { YearMonth(year: 2022, month: $0)! }
        let providers = rules.providers.map(\.id)
        let batch = 5_000
        for start in stride(from: 0, to: entries, by: batch) {
            let changes = (start..<min(start + batch, entries)).flatMap { n -> [TimesheetChange] in
                let participant = n % participants
                let month = months[n * months.count / entries]
                let day = 1 + n % 28
                let begin = CalendarDate(year: month.year, month: month.month, day: day)!.startOfDay().addingTimeInterval(8 * 3600)
                let minutes = 30 + (n * 37) % 211
                let expenses: Expenses? = n % 10 == 0 ? Expenses(travel: Money(grosze: Int64(1_000 + n % 5_000)), tickets: Money(grosze: Int64(n % 3_000))) : nil
                let event = HoursAccounted(providerID: providers[participant % providers.count], entryID: "e\(n)", sequence: 1, participantID: ParticipantID("p\(participant)"),
                                           assistantID: AssistantID("as\(participant % 400)"), orderID: OrderID("o\(n)"), editionID: rules.id,
                                           start: begin, end: begin.addingTimeInterval(Double(minutes) * 60), month: month, minutes: minutes, expenses: expenses, remainingMinutes: 0)
                return TimesheetChange.accounted(event, key: "/bench|\(n)", time: month.lastDay.startOfDay())
            }
            try await pool.withTransaction { try await writer.record(changes, on: $0) }
        }
        for month in months.dropLast() {
            try await pool.withTransaction { try await writer.monthClosed(MonthClosed(editionID: rules.id, month: month, closedAt: month.next.firstDay.startOfDay().addingTimeInterval(86_400)), on: $0) }
        }
        let loadTime = load.duration(to: .now)

        let repository = ReportRepository(pool: pool)
        func report() async throws -> Report {
            ReportBuilder.build(try await repository.snapshot(edition: rules.id) { try MonthRange.parse(from: nil, to: nil, edition: $0) }!)
        }
        // Correctness only: every loaded entry and minute is in the report, each participant served.
        let total = try #require(try await report().hoursByMonth.last)
        let expectedMinutes = (0..<entries).reduce(Int64(0)) { $0 + Int64(30 + ($1 * 37) % 211) }
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
        print("""

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
