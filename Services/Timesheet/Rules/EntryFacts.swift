import Domain
import FoundationEssentials

// The facts the rules decide on: timesheet's own copies of the reference data
// other services announce, and the entries it has already accepted. Plain
// values, so the rules are pure and the tests build them by hand.

/// An NGO's entry is named by the NGO and its own id.
struct EntryKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    var providerID: ProviderID
    var entryID: String

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.providerID.rawValue, lhs.entryID) < (rhs.providerID.rawValue, rhs.entryID)
    }

    var description: String { "\(providerID)/\(entryID)" }
}

struct EditionFacts: Hashable, Sendable {
    var id: EditionID
    var period: DateRange
    var assistantDailyLimitHours: Int
    /// What a statutory scheme asks its assistants to hold on each day of a visit; empty under the programme.
    var requiredQualifications: [QualificationKind] = []
}

struct GrantFacts: Hashable, Sendable {
    var grantID: GrantID
    var participantID: ParticipantID
    var editionID: EditionID
    var hours: Int
    var period: DateRange
    /// Services after this day are not covered.
    var revokedOn: CalendarDate?
}

struct OrderFacts: Hashable, Sendable {
    var orderID: OrderID
    var participantID: ParticipantID
    var editionID: EditionID
    var start: Date
    var end: Date
    var providerID: ProviderID?
    var assistantID: AssistantID?
    var cancelledAt: Date?
}

struct ClosedMonth: Hashable, Sendable {
    var editionID: EditionID
    var month: YearMonth
}

/// The version of an entry that currently counts: accepted and neither
/// superseded by a correction nor withdrawn by a void.
struct CountedEntry: Hashable, Sendable {
    var key: EntryKey
    var sequence: Int
    var assistantID: AssistantID
    var participantID: ParticipantID
    var orderID: OrderID
    var editionID: EditionID
    var start: Date
    var end: Date
    var month: YearMonth
    var expenses: Expenses?

    var minutes: Int { Int(end.timeIntervalSince(start) / 60) }
    var span: WorkSpan { WorkSpan(start: start, end: end) }
}

/// What is known of an entry's earlier versions.
struct EntryHistory: Hashable, Sendable {
    /// The highest sequence answered (accepted or rejected).
    var highestSequence: Int
    /// The sequence of the accepted void, once the entry is withdrawn.
    var voidedBy: Int?
    var counted: CountedEntry?
}

/// The answer to one submitted version.
enum Verdict: Hashable, Sendable {
    /// A new entry counts.
    case accepted(CountedEntry, remainingMinutes: Int)
    /// A correction replaced the counted version `previous`.
    case corrected(CountedEntry, previous: CountedEntry, remainingMinutes: Int)
    /// A void withdrew the counted version `previous`.
    case voided(previous: CountedEntry, remainingMinutes: Int)
    case rejected(TimesheetRejectionCode, String)

    var code: TimesheetRejectionCode? {
        if case let .rejected(code, _) = self { code } else { nil }
    }
}

/// Settings the rules read.
struct TimesheetPolicy: Sendable {
    /// How far an entry may start before or end after its order (0: not at all).
    var orderTolerance: TimeInterval = 0
    /// Two entries may touch or overlap by this much without being an overlap.
    var overlapAllowance: TimeInterval = 60
}
