import Domain
import FoundationEssentials

/// One effect of a timesheet event on one month: what the read models add up.
/// Corrections and voids carry the previous values, so no earlier row is read.
struct TimesheetChange: Sendable, Equatable {
    var eventKey: String
    /// 0, or 1 for the second month of a correction that moves an entry.
    var part: Int
    var edition: EditionID
    var month: YearMonth
    var provider: ProviderID
    var participant: ParticipantID
    var assistant: AssistantID
    var kind: LateChangeRow.Kind
    /// Minutes priced positively and negatively: each side is rounded on its own,
    /// exactly as the entry's cost was (`Money.forMinutes`).
    var minutesAdded: Int
    var minutesRemoved: Int
    var entries: Int
    /// Signed differences of the reported expenses.
    var expenses: Expenses
    var time: Date
    var reason: String?

    static func accounted(_ event: HoursAccounted, key: String, time: Date) -> [TimesheetChange] {
        [
            TimesheetChange(
                eventKey: key, part: 0, edition: event.editionID, month: event.month, provider: event.providerID,
                participant: event.participantID, assistant: event.assistantID, kind: .accounted,
                minutesAdded: event.minutes, minutesRemoved: 0, entries: 1, expenses: event.expenses ?? Expenses(), time: time, reason: nil)
        ]
    }

    static func corrected(_ event: TimesheetEntryCorrected, key: String, time: Date) -> [TimesheetChange] {
        let new = event.expenses ?? Expenses()
        let previous = event.previousExpenses ?? Expenses()
        func change(part: Int, month: YearMonth, added: Int, removed: Int, entries: Int, expenses: Expenses) -> TimesheetChange {
            TimesheetChange(
                eventKey: key, part: part, edition: event.editionID, month: month, provider: event.providerID,
                participant: event.participantID, assistant: event.assistantID, kind: .corrected,
                minutesAdded: added, minutesRemoved: removed, entries: entries, expenses: expenses, time: time, reason: event.reason)
        }
        if event.month == event.previousMonth {
            var delta = new
            delta.add(previous.negated)
            return [change(part: 0, month: event.month, added: event.minutes, removed: event.previousMinutes, entries: 0, expenses: delta)]
        }
        return [
            change(part: 0, month: event.previousMonth, added: 0, removed: event.previousMinutes, entries: -1, expenses: previous.negated),
            change(part: 1, month: event.month, added: event.minutes, removed: 0, entries: 1, expenses: new),
        ]
    }

    static func voided(_ event: TimesheetEntryVoided, key: String, time: Date) -> [TimesheetChange] {
        [
            TimesheetChange(
                eventKey: key, part: 0, edition: event.editionID, month: event.month, provider: event.providerID,
                participant: event.participantID, assistant: event.assistantID, kind: .voided,
                minutesAdded: 0, minutesRemoved: event.minutes, entries: -1, expenses: (event.expenses ?? Expenses()).negated,
                time: time, reason: event.reason)
        ]
    }
}

/// What one event of a participant's card moves: confirmed and contested minutes of
/// a month and NGO.
struct CardChange: Sendable, Equatable {
    var editionID: EditionID
    var month: YearMonth
    var providerID: ProviderID
    var confirmedMinutes: Int64
    var contestedMinutes: Int64

    init(_ event: MonthConfirmed) {
        self.init(event.editionID, event.month, event.providerID, confirmed: Int64(event.minutes), contested: 0)
    }

    init(_ event: VisitContested) {
        self.init(event.editionID, event.month, event.providerID, confirmed: 0, contested: Int64(event.minutes))
    }

    /// A settled contest is no longer contested; a visit an operator decided stands counts as confirmed.
    init(_ event: ContestSettled) {
        self.init(
            event.editionID, event.month, event.providerID, confirmed: event.outcome == .stands ? Int64(event.minutes) : 0,
            contested: -Int64(event.minutes))
    }

    private init(_ editionID: EditionID, _ month: YearMonth, _ providerID: ProviderID, confirmed: Int64, contested: Int64) {
        self.editionID = editionID
        self.month = month
        self.providerID = providerID
        confirmedMinutes = confirmed
        contestedMinutes = contested
    }
}
