import Domain
import Foundation

@testable import Reporting

/// A synthetic year of the 2022 edition for the reporting benchmarks: grants for
/// `participants` people spread over the six groups, and accounted entries spread
/// May–December: entry n is participant n % participants, its provider
/// participant % 8, one of 400 assistants, 30–240 minutes, expenses on every tenth.
struct ReportingYear {
    let rules: EditionRules
    let participants: Int
    let entries: Int
    /// When the edition was published and the grants made.
    let start = Date(timeIntervalSince1970: 1_650_000_000)
    let months = (5...12).map { YearMonth(year: 2022, month: $0)! }
    private let groups = ParticipantGroup.Category.allCases.flatMap { c in
        [false, true].map { ParticipantGroup(category: c, multipleDisabilities: $0) }
    }

    init(participants: Int, entries: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        rules = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: root.appendingPathComponent("deploy/editions/2022.json")))
        self.participants = participants
        self.entries = entries
    }

    func grant(_ n: Int) -> SupportGranted {
        SupportGranted(
            grantID: GrantID("g\(n)"), participantID: ParticipantID("p\(n)"), applicationID: ApplicationID("a\(n)"), editionID: rules.id,
            group: groups[n % groups.count], hours: 360, period: rules.period, grantedOn: CalendarDate("2022-04-30")!)
    }

    func month(ofEntry n: Int) -> YearMonth { months[n * months.count / entries] }
    func minutes(ofEntry n: Int) -> Int { 30 + (n * 37) % 211 }
    func provider(ofEntry n: Int) -> ProviderID { rules.providers[(n % participants) % rules.providers.count].id }

    func accounted(_ n: Int) -> HoursAccounted {
        let participant = n % participants
        let month = month(ofEntry: n)
        let begin = CalendarDate(year: month.year, month: month.month, day: 1 + n % 28)!.startOfDay().addingTimeInterval(8 * 3600)
        let minutes = minutes(ofEntry: n)
        let expenses: Expenses? =
            n % 10 == 0 ? Expenses(travel: Money(grosze: Int64(1_000 + n % 5_000)), tickets: Money(grosze: Int64(n % 3_000))) : nil
        return HoursAccounted(
            providerID: provider(ofEntry: n), entryID: "e\(n)", sequence: 1, participantID: ParticipantID("p\(participant)"),
            assistantID: AssistantID("as\(participant % 400)"), orderID: OrderID("o\(n)"), editionID: rules.id,
            start: begin, end: begin.addingTimeInterval(Double(minutes) * 60), month: month, minutes: minutes, expenses: expenses, remainingMinutes: 0
        )
    }

    /// When entry n's event happened: its month's last day, before the month closes.
    func time(ofEntry n: Int) -> Date { month(ofEntry: n).lastDay.startOfDay() }

    /// Every month but the last closes a day after it ends.
    var closings: [MonthClosed] {
        months.dropLast().map { MonthClosed(editionID: rules.id, month: $0, closedAt: $0.next.firstDay.startOfDay().addingTimeInterval(86_400)) }
    }
}
