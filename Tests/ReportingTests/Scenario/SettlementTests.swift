import Domain
import Foundation
import Postgres
import Testing

@testable import Reporting

/// The monthly settlement of a closed month, figures by hand from the scenario: May's six
/// entries at each NGO's settlement rate (B's 42,00 zł capped at 40,00), one entry cost
/// rounded half up to the grosz (0,75 h × 38,50 = 28,875 → 28,88).
@Suite struct SettlementTests {
    @Test func aClosedMonthPerProviderAndParticipant() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let settlement = try await Self.settlement(pool, Scenario.may)
            #expect(settlement.closedOn == CalendarDate("2022-06-01"), "closed at 02:30 Polish time on 1 June")
            #expect(settlement.deadline == nil, "a programme edition sets no deadline")
            let lines = settlement.lines.map {
                "\($0.providerID) \($0.participantID) \($0.hours) \($0.visits) \($0.settlementRate?.description ?? "-") \($0.cost)"
            }
            #expect(
                lines == [
                    "prov-a t-participant-1 1.50 1 38.50 57.75", "prov-a t-participant-2 0.75 1 38.50 28.88",
                    "prov-c t-participant-5 0.50 1 36.00 18.00", "prov-c t-participant-6 0.50 1 36.00 18.00",
                    "prov-b t-participant-3 2.00 1 40.00 80.00", "prov-b t-participant-4 1.00 1 40.00 40.00",
                ], "\(lines)")
            #expect(
                settlement.providers.map { "\($0.provider): \($0.participants) \($0.hours) \($0.cost)" } == [
                    "Fundacja Ąę Słońce: 2 2.25 86.63", "Fundacja Źródło: 2 1.00 36.00", "Stowarzyszenie Łódź Żagiel: 2 3.00 120.00",
                ])
            #expect(
                "\(settlement.total.participants) \(settlement.total.minutes) \(settlement.total.hours) \(settlement.total.visits) \(settlement.total.cost)"
                    == "6 375 6.25 6 242.63")
            // After May closed, e1 was corrected and p6's grant revoked: the settlement of May stays as it closed.
            let atClose = try await ReportingDatabase.withFresh { fresh in
                try await DirectApplier(pool: fresh).apply(Scenario.beforeClose)
                return try await Self.settlement(fresh, Scenario.may)
            }
            #expect(settlement == atClose)
            let csv = String(decoding: CSVExport.render(settlement.tables), as: UTF8.self)
            #expect(csv.contains("Fundacja Ąę Słońce;t-participant-2;45;0,75;1;38,50 zł;28,88 zł\r\n"), "\(csv)")
            #expect(csv.contains("Razem;6;375;6,25;6;242,63 zł\r\n"))
        }
    }

    @Test func anOpenMonthHasNoSettlementYet() async throws {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            let store = ReportStore(pool: pool)
            guard case .open(deadline: nil) = try await store.settlement(edition: Scenario.edition, month: Scenario.june) else {
                Issue.record("June is open")
                return
            }
            guard case .outsideEdition = try await store.settlement(edition: Scenario.edition, month: YearMonth("2023-01")!) else {
                Issue.record("January 2023 is after the edition")
                return
            }
            let calendar = try #require(try await store.settlementCalendar(edition: Scenario.edition))
            #expect(calendar.count == 8)
            #expect(
                calendar.first == SettlementMonth(month: Scenario.may, deadline: nil, closedOn: CalendarDate("2022-06-01"), closedByDeadline: nil))
            #expect(calendar[1].closedOn == nil)
        }
    }

    /// Under the statute a month's report is due on the scheme's day of the next month.
    @Test func aStatuteSetsTheDeadline() {
        #expect(Settlement.deadline(of: YearMonth("2027-04")!, day: 10) == CalendarDate("2027-05-10"))
        #expect(Settlement.deadline(of: YearMonth("2027-12")!, day: 10) == CalendarDate("2028-01-10"))
    }

    static func settlement(_ pool: PostgresPool, _ month: YearMonth) async throws -> Settlement {
        guard case let .settled(settlement) = try await ReportStore(pool: pool).settlement(edition: Scenario.edition, month: month) else {
            throw CancellationError()
        }
        return settlement
    }
}
