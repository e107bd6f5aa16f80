import Domain
import Foundation

@testable import Timesheet

/// A small world for the rules: the 2022 edition, two NGOs, their assistants,
/// a few participants and orders, all on 1 June 2022 unless a test says otherwise.
enum Fixture {
    static let edition = EditionID("2022")
    static let p1 = ProviderID("ngo-1"), p2 = ProviderID("ngo-2")
    static let a1 = AssistantID("a-1"), a2 = AssistantID("a-2"), a9 = AssistantID("a-9")
    static let u1 = ParticipantID("u-1"), u2 = ParticipantID("u-2"), u3 = ParticipantID("u-3"), u4 = ParticipantID("u-4")

    /// Warsaw local time on a 2022 day: `at("06-01 10:00")`.
    static func at(_ text: String) -> Date {
        Timestamp.parse("2022-\(text.replacingOccurrences(of: " ", with: "T")):00+02:00")!
    }

    static func order(
        _ id: String, _ participant: ParticipantID, _ assistant: AssistantID?, _ provider: ProviderID? = p1, from start: String = "06-01 08:00",
        to end: String = "06-01 20:00"
    ) -> OrderFacts {
        OrderFacts(
            orderID: OrderID(id), participantID: participant, editionID: edition, start: at(start), end: at(end), providerID: provider,
            assistantID: assistant)
    }

    static func grant(
        _ participant: ParticipantID, hours: Int = 10, from start: String = "2022-05-01", to end: String = "2022-12-31", revokedOn: String? = nil
    ) -> GrantFacts {
        GrantFacts(
            grantID: GrantID("g-\(participant)"), participantID: participant, editionID: edition, hours: hours,
            period: DateRange(start: CalendarDate(start)!, end: CalendarDate(end)!), revokedOn: revokedOn.map { CalendarDate($0)! })
    }

    static func ledger() -> Ledger {
        var ledger = Ledger()
        ledger.editions[edition] = EditionFacts(
            id: edition, period: DateRange(start: CalendarDate("2022-05-01")!, end: CalendarDate("2022-12-31")!), assistantDailyLimitHours: 12)
        ledger.providers = [p1, p2]
        ledger.assistants = [a1: p1, a2: p1, a9: p2]
        var cancelled = order("o-cancelled", u1, a1)
        cancelled.cancelledAt = at("05-30 12:00")
        let orders = [
            order("o-1", u1, a1), order("o-2", u1, a2), order("o-3", u2, a1), order("o-unassigned", u1, nil, nil),
            order("o-2023", u1, a1, from: "12-31 20:00", to: "12-31 23:59").with(end: Timestamp.parse("2023-01-01T02:00:00+01:00")!),
            order("o-u3", u3, a1), order("o-u4", u4, a1), order("o-may", u1, a1, from: "05-10 08:00", to: "05-10 20:00"),
            order("o-week", u1, a1, from: "06-01 00:00", to: "06-08 00:00"), order("o-week-u2", u2, a1, from: "05-31 00:00", to: "06-08 00:00"),
            cancelled,
        ]
        ledger.orders = Dictionary(uniqueKeysWithValues: orders.map { ($0.orderID, $0) })
        ledger.grants = [
            u1: [grant(u1)], u2: [grant(u2)],
            u3: [grant(u3, from: "2022-07-01")],
            u4: [grant(u4, revokedOn: "2022-05-31")],
        ]
        ledger.closedMonths = [ClosedMonth(editionID: edition, month: YearMonth("2022-05")!)]
        return ledger
    }

    static func entry(
        _ id: String = "E-1", sequence: Int = 1, action: TimesheetEntrySubmitted.Action = .submit, provider: ProviderID = p1,
        assistant: AssistantID = a1, order: String = "o-1", participant: ParticipantID = u1, from start: String = "06-01 10:00",
        to end: String = "06-01 12:00", reason: String? = nil
    ) -> TimesheetEntrySubmitted {
        TimesheetEntrySubmitted(
            providerID: provider, entryID: id, sequence: sequence, action: action, assistantID: assistant, orderID: OrderID(order),
            participantID: participant, start: at(start), end: at(end), activity: .errands, reason: reason)
    }

    static func counted(
        _ id: String, provider: ProviderID = p1, assistant: AssistantID = a1, participant: ParticipantID = u2, from start: String, to end: String,
        sequence: Int = 1
    ) -> CountedEntry {
        let startDate = at(start)
        return CountedEntry(
            key: EntryKey(providerID: provider, entryID: id), sequence: sequence, assistantID: assistant, participantID: participant,
            orderID: OrderID("o-x"),
            editionID: edition, start: startDate, end: at(end), month: CalendarDate(startDate).yearMonth, expenses: nil)
    }
}

extension Ledger {
    /// Counts an entry as if accepted earlier (in storage), minutes included.
    mutating func seed(_ entry: CountedEntry) {
        addCounted(entry)
        let key = ParticipantEdition(participantID: entry.participantID, editionID: entry.editionID)
        loadUsedMinutes(usedMinutes[key, default: 0] + entry.minutes, for: key)
        histories[entry.key] = EntryHistory(highestSequence: entry.sequence, voidedBy: nil, counted: entry)
    }
}

extension OrderFacts {
    func with(end: Date) -> OrderFacts {
        var copy = self
        copy.end = end
        return copy
    }
}
