import Domain
import Foundation
import Postgres
import Testing

@testable import Reporting

/// The read models in a real PostgreSQL, fed the hand-computed scenario through
/// the writer the handlers use (a set stands in for the inbox here; the
/// end-to-end tests go through the broker and the real inbox).
@Suite struct ReadModelScenarioTests {
    @Test func everyFigureOfTheWholeEditionReport() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let report = try await Self.report(pool)
            ScenarioExpectations.checkWholeEdition(report)
            // The notes explain a grant's hours with the edition's own caps.
            #expect(
                report.notes.contains { $0.hasPrefix("Godziny przyznane uczestnikowi") && $0.contains("Roczne limity edycji") }, "\(report.notes)")
        }
    }

    /// Per month and NGO: delivered, confirmed, contested, unconfirmed hours. May closed before
    /// e3's contest was settled and before p2 confirmed, so May shows neither. NGOs by name.
    @Test func participantsConfirmationsAndContestsPerMonthAndNGO() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let report = try await Self.report(pool)
            let lines = report.confirmations.map {
                "\($0.month) \($0.providerID) \($0.deliveredHours) \($0.confirmedHours) \($0.contestedHours) \($0.unconfirmedHours)"
            }
            #expect(
                lines == [
                    "2022-05 prov-a 2.25 1.50 0.00 0.75", "2022-05 prov-c 1.00 0.00 0.00 1.00", "2022-05 prov-b 3.00 1.00 2.00 0.00",
                    "2022-06 prov-b 2.00 0.00 2.00 0.00",
                ], "\(lines)")
            // The participant's comment stays with the NGO: no export carries it.
            let exports = try await Self.exports(pool, from: "2022-05", to: "2022-06")
            #expect(!String(decoding: exports["csv"] ?? [], as: UTF8.self).contains("Kowalski"))
            #expect(String(decoding: exports["csv"] ?? [], as: UTF8.self).contains("2022-05;Fundacja Ąę Słońce;2,25;1,50;0,00;0,75\r\n"))
        }
    }

    @Test func aClosedMonthsExportDoesNotChangeAndCorrectionsAppearNextMonthWithTheirReason() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.beforeClose)
            let mayBefore = try await Self.exports(pool, from: "2022-05", to: "2022-05")
            let juneBefore = try await Self.report(pool, from: "2022-06", to: "2022-06")
            #expect(juneBefore.corrections.isEmpty)

            try await DirectApplier(pool: pool).apply(Scenario.afterClose)
            let mayAfter = try await Self.exports(pool, from: "2022-05", to: "2022-05")
            #expect(mayAfter["json"] == mayBefore["json"], "May's JSON changed after it was closed")
            #expect(mayAfter["csv"] == mayBefore["csv"], "May's CSV changed after it was closed")
            #expect(mayAfter["xlsx"] == mayBefore["xlsx"], "May's XLSX changed after it was closed")

            let juneAfter = try await Self.report(pool, from: "2022-06", to: "2022-06")
            #expect(juneAfter.corrections.map(\.reason) == ["błędna godzina zakończenia, PESEL [usunięto]", "usługa nie odbyła się"])
            let csv = String(decoding: try #require(try await Self.exports(pool, from: "2022-06", to: "2022-06")["csv"]), as: UTF8.self)
            #expect(
                csv.contains(
                    "2022-06;2022-05;Fundacja Ąę Słońce;Dzieci z orzeczeniem o niepełnosprawności;nie;korekta;-0,50;-19,25 zł;0,00 zł;błędna godzina zakończenia, PESEL [usunięto]\r\n"
                ))
            #expect(
                csv.contains(
                    "2022-06;2022-05;Fundacja Źródło;Dorośli – stopień umiarkowany;nie;anulowanie;-0,50;-18,00 zł;-50,00 zł;usługa nie odbyła się\r\n"
                ))
        }
    }

    /// Topics interleave differently on a replay: the month closes before its
    /// entries are seen, hours arrive before the edition that prices them, a late
    /// correction arrives before the close that makes it late. Same exports.
    @Test func theOrderEventsArriveInDoesNotChangeTheExports() async throws {
        let inOrder = try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            return try await Self.exports(pool)
        }
        var shuffled = Scenario.all
        shuffled.reverse()
        let scrambled = try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(shuffled)
            return try await Self.exports(pool)
        }
        #expect(String(decoding: scrambled["json"]!, as: UTF8.self) == String(decoding: inOrder["json"]!, as: UTF8.self))
        #expect(scrambled["csv"] == inOrder["csv"], "the CSV exports differ")
        #expect(scrambled["xlsx"] == inOrder["xlsx"], "the XLSX exports differ")
    }

    /// Two replicas share a database: one records hours in the moment the other stores
    /// the edition whose rates price them, neither having seen the other's work. Once both
    /// have committed, the hours are priced and in the sums, as if they had come in turn.
    @Test func hoursRecordedWhileAnotherReplicaStoresTheirRateArePriced() async throws {
        try await ReportingDatabase.withFresh { pool in
            let applier = DirectApplier(pool: pool)
            let edition = try #require(Scenario.beforeClose.first { $0.event is EditionPublished })
            let hours = try #require(Scenario.beforeClose.first { $0.event is HoursAccounted })
            let (recorded, signal) = AsyncStream<Void>.makeStream()
            async let recording: Void = pool.withTransaction { connection in
                try await applier.apply(hours, on: connection)
                signal.yield()
                // Not yet committed while the rate is stored beside it.
                try await Task.sleep(for: .milliseconds(500))
            }
            for await _ in recorded { break }
            try await pool.withTransaction { try await applier.apply(edition, on: $0) }
            try await recording
            let (changes, unpriced) = try await pool.withConnection { connection in
                try await connection.query("SELECT count(*)::int, count(*) FILTER (WHERE cost IS NULL)::int FROM timesheet_changes").first!
                    .decode((Int, Int).self)
            }
            #expect(changes == 1)
            #expect(unpriced == 0, "the hours were stored unpriced and left out of the sums")
            let total = try await Self.report(pool).hoursByMonth.first { $0.month == "total" }
            #expect(total?.minutes == (hours.event as? HoursAccounted).map { Int64($0.minutes) }, "the month's sums miss the hours")
        }
    }

    /// The consumer loop hands a run of one type's events to one statement. An order placed
    /// twice in a run counts once, in its first placement's month; a mark seen before the
    /// placement counts with it; an order cancelled twice counts once.
    @Test func aRunOfOrderEventsCountsEachOrderOnce() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Array(Scenario.all.prefix(1)))
            let writer = ReadModelWriter()
            func placement(_ order: String, _ month: YearMonth) throws -> OrderPlaced {
                try #require(Scenario.placed(order, month, minute: 40).event as? OrderPlaced)
            }
            func orders(_ ids: String...) -> [(order: OrderID, edition: EditionID)] { ids.map { (OrderID($0), Scenario.edition) } }
            let placements = [
                try placement("r1", Scenario.may), try placement("r2", Scenario.may), try placement("r1", Scenario.june),
                try placement("r3", Scenario.june),
            ]
            try await pool.withTransaction { connection in
                try await writer.ordersMarked(orders("r1", "r1"), .assigned, on: connection)
                try await writer.ordersPlaced(placements, on: connection)
                try await writer.ordersMarked(orders("r2", "r3", "r3"), .cancelled, on: connection)
                try await writer.ordersMarked(orders("r1"), .assigned, on: connection)
            }
            let months = try await Self.report(pool).orders.prefix(2).map { [$0.placed, $0.assigned, $0.cancelled] }
            #expect(months == [[2, 1, 1], [1, 0, 1]], "May: r1 assigned, r2 cancelled; June: r3 cancelled")
        }
    }

    @Test func noExportHoldsPersonalData() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let exports = try await Self.exports(pool)
            let json = String(decoding: exports["json"]!, as: UTF8.self)
            let csv = String(decoding: exports["csv"]!, as: UTF8.self)
            let sheets = try XLSXReader.sharedText(of: exports["xlsx"]!)
            for text in [json, csv, sheets] {
                #expect(text.firstMatch(of: /\d{11}/) == nil, "an 11-digit number (PESEL-like) is in an export")
                #expect(!text.contains("t-participant"), "a participant id is in an export")
                #expect(!text.contains("t-a1") && !text.contains("t-grant"), "an assistant or grant id is in an export")
            }
        }
    }

    /// What a clerk reads in the edition's workbook: on a group sheet every row is told
    /// apart by its label alone (on paper, with or without multiple disabilities), and
    /// the notes say a late change shows in the first month after the changed one that
    /// was still open, not "the first month that was not closed" (May, never closed).
    @Test func theWorkbookSaysWhatAClerkReads() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let exports = try await Self.exports(pool)
            let parts = try XLSXReader.parts(of: try #require(exports["xlsx"]))
            let workbook = try #require(parts["xl/workbook.xml"])
            let names = workbook.matches(of: /<sheet name="([^"]*)"/).map { String($0.1) }
            var groupSheets = 0
            for (index, name) in names.enumerated() {
                let rows = Self.cells(of: try #require(parts["xl/worksheets/sheet\(index + 1).xml"]))
                guard rows.first?["A"] == "Grupa" else { continue }
                groupSheets += 1
                let labels = rows.dropFirst().compactMap { $0["A"] }
                #expect(labels.count == rows.count - 1 && Set(labels).count == labels.count, "\(name): \(labels)")
                #expect(
                    labels.contains("Dorośli – stopień znaczny, niepełnosprawność sprzężona") && labels.contains("Dorośli – stopień znaczny"),
                    "\(name): \(labels)")
            }
            #expect(groupSheets == 2, "Uczestnicy and Godziny wg grup: \(names)")

            let notesSheet = try #require(names.firstIndex(of: "Uwagi")) + 1
            let notes = Self.cells(of: try #require(parts["xl/worksheets/sheet\(notesSheet).xml"])).compactMap { $0["A"] }
            let csv = String(decoding: try #require(exports["csv"]), as: UTF8.self)
            let late = "wykazywane w tabeli Korekty w pierwszym miesiącu po zmienionym, który w chwili zmiany był jeszcze otwarty."
            #expect(notes.contains { $0.hasPrefix("Miesiąc zamknięty jest zamrożony") && $0.hasSuffix(late) }, "\(notes)")
            #expect(csv.contains(late))
            for text in [notes.joined(separator: "\n"), csv] {
                #expect(!text.contains("nie był zamknięty"), "the old wording, which reads as May")
            }
        }
    }

    /// A worksheet's rows as column letter → text or number, as written.
    static func cells(of sheet: String) -> [[String: String]] {
        sheet.matches(of: /<row r="\d+">(.*?)<\/row>/).map { row in
            Dictionary(
                uniqueKeysWithValues: row.1.matches(of: /<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/).map { cell in
                    (String(cell.1), String(cell.2 ?? cell.3 ?? ""))
                })
        }
    }

    static func report(_ pool: PostgresPool, from: String? = nil, to: String? = nil) async throws -> Report {
        let snapshot = try await ReportStore(pool: pool).snapshot(edition: Scenario.edition) { try MonthRange.parse(from: from, to: to, edition: $0) }
        return ReportBuilder.build(try #require(snapshot))
    }

    static func exports(_ pool: PostgresPool, from: String? = nil, to: String? = nil) async throws -> [String: [UInt8]] {
        let report = try await report(pool, from: from, to: to)
        let tables = ReportTable.tables(of: report)
        return ["json": try JSONExport.render(report), "csv": CSVExport.render(tables), "xlsx": try XLSXExport.render(tables)]
    }
}
