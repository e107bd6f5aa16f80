import Domain
import Foundation
import Testing

@testable import Reporting

@Suite struct CostingTests {
    @Test(arguments: [
        // contracted, cap, minutes, expected grosze
        (4000, 4000, 60, 4000),
        (4200, 4000, 90, 6000),  // above the cap: settled at 40,00
        (3850, 4000, 45, 2888),  // 38,50 × 0,75 = 28,875 → 28,88 (half up)
        (3850, 4000, 1, 64),  // 0,6416… → 0,64
        (3600, 5000, 130, 7800),
    ])
    func entryCost(contracted: Int64, cap: Int64, minutes: Int, expected: Int64) {
        #expect(Costing.entryCost(minutes: minutes, contracted: Money(grosze: contracted), cap: Money(grosze: cap)) == Money(grosze: expected))
    }

    @Test func expensesAreCappedPerKind() {
        let caps = ExpenseCaps(
            travelPerMonth: Money(zloty: 200), ticketsPerMonth: Money(zloty: 100), protectiveEquipmentPerMonth: Money(zloty: 50),
            insurancePerYear: Money(zloty: 150))
        let covered = Costing.covered(
            Expenses(travel: Money(zloty: 250), tickets: Money(zloty: 40), protectiveEquipment: Money(zloty: 50)), caps: caps)
        #expect(covered == Expenses(travel: Money(zloty: 200), tickets: Money(zloty: 40), protectiveEquipment: Money(zloty: 50)))
    }

    @Test func splitFollowsThePlanProportion() {
        // 2022: 2 167 704,00 + 325 156,00 = 2 492 860,00. 1 000,00 spent → 1000 × 2167704 / 2492860 = 869,5651… → 869,57 ministry, 130,43 municipal.
        let budget = Budget(ministryGrant: Money(zloty: 2_167_704), municipalContribution: Money(zloty: 325_156))
        let (ministry, municipal) = Costing.split(Money(zloty: 1000), by: budget)
        #expect(ministry == Money(grosze: 86_957))
        #expect(municipal == Money(grosze: 13_043))
    }

    @Test(arguments: [(90, 150), (1, 2), (59, 98), (-30, -50), (43_000 * 60, 4_300_000)])
    func centihours(minutes: Int64, expected: Int64) {
        #expect(Costing.centihours(minutes: minutes) == expected)
    }

    @Test func rangeParsing() throws {
        let period = DateRange(start: CalendarDate("2022-05-01")!, end: CalendarDate("2022-12-31")!)
        #expect(try MonthRange.parse(from: nil, to: nil, edition: period) == MonthRange(from: YearMonth("2022-05")!, to: YearMonth("2022-12")!))
        #expect(try MonthRange.parse(from: "2022-06-01", to: "2022-06-30", edition: period).months == [YearMonth("2022-06")!])
        #expect(throws: MonthRange.Problem.notMonthStart(field: "from")) { try MonthRange.parse(from: "2022-06-02", to: nil, edition: period) }
        #expect(throws: MonthRange.Problem.notMonthEnd(field: "to")) { try MonthRange.parse(from: nil, to: "2022-06-29", edition: period) }
        #expect(throws: MonthRange.Problem.reversed) { try MonthRange.parse(from: "2022-07", to: "2022-06", edition: period) }
        #expect(throws: MonthRange.Problem.unreadable(field: "from")) { try MonthRange.parse(from: "czerwiec", to: nil, edition: period) }
    }

    @Test func lateChangesAreReportedInTheFirstMonthOpenWhenTheyHappened() {
        let may = YearMonth("2022-05")!
        let june = YearMonth("2022-06")!
        let july = YearMonth("2022-07")!
        let closed: [YearMonth: Date] = [may: Date(timeIntervalSince1970: 1000), june: Date(timeIntervalSince1970: 2000)]
        #expect(ReportBuilder.reportingMonth(of: may, at: Date(timeIntervalSince1970: 1500), closed: closed) == june)
        #expect(ReportBuilder.reportingMonth(of: may, at: Date(timeIntervalSince1970: 2500), closed: closed) == july)
    }

    /// The notes say how a grant's hours come about, with the edition's own caps.
    @Test func theNotesExplainAGrantsHours() {
        let note = Costing.grantNote(
            caps: HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 360), monthlyLimit: 30)
        for part in [
            "roczny limit grupy × liczba miesięcy / 12", "zadeklarowana potrzeba miesięczna × liczba miesięcy", "miesięczny limit edycji (30 h)",
            "od maja do grudnia: 8", "najwyżej 240 h", "dzieci 360 h", "stopień znaczny 720 h (z niepełnosprawnością sprzężoną 840 h)",
        ] {
            #expect(note.contains(part), "\(part) in \(note)")
        }
        #expect(
            !Costing.grantNote(caps: HourCaps(significantMultiple: 1, significant: 1, moderateMultiple: 1, moderate: 1, child: 1), monthlyLimit: nil)
                .contains("miesięczny limit edycji"))
    }

    /// May never closed, June to November closed: a late change to June shows in December,
    /// and the note a clerk reads must say so, not point at the still-open May.
    @Test func theNoteSaysWhereALateChangeShows() {
        let june = YearMonth("2022-06")!
        let november = YearMonth("2022-11")!
        let december = YearMonth("2022-12")!
        var closed: [YearMonth: Date] = [:]
        var month = june
        while month <= november {
            closed[month] = Date(timeIntervalSince1970: 1000)
            month = month.next
        }
        #expect(ReportBuilder.reportingMonth(of: june, at: Date(timeIntervalSince1970: 2000), closed: closed) == december)
        #expect(ReportBuilder.reportingMonth(of: november, at: Date(timeIntervalSince1970: 2000), closed: closed) == december)
        let note = Costing.formulaNotes.first { $0.hasPrefix("Miesiąc zamknięty") } ?? ""
        #expect(note.contains("w pierwszym miesiącu po zmienionym, który w chwili zmiany był jeszcze otwarty"), "\(note)")
        #expect(!note.contains("który w chwili zmiany nie był zamknięty"), "\(note)")
    }
}
