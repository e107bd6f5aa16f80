import FoundationEssentials

// The NGO contract. NGO systems publish `TimesheetEntrySubmitted` on
// `asysta.timesheet.submissions` (keyed by participant); timesheet answers each
// one on `asysta.timesheet.results` (keyed by provider, so an NGO follows its own).

/// An NGO's entry, identified by the NGO's own `entryID`. Resending the same
/// sequence is recognised; a higher sequence supersedes (a correction); a void
/// withdraws the entry. The signature travels in the record's header, over its bytes.
public struct TimesheetEntrySubmitted: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "TimesheetEntrySubmitted", version: 1, topic: .timesheetSubmissions)

    public enum Action: String, Codable, Sendable {
        case submit
        case void
    }

    public var providerID: ProviderID
    public var entryID: String
    public var sequence: Int
    public var action: Action
    public var assistantID: AssistantID
    public var orderID: OrderID
    public var participantID: ParticipantID
    public var start: Date
    public var end: Date
    public var activity: ActivityCategory
    public var note: String?
    /// Why the entry changed: required for a void and for a correction to a closed month.
    public var reason: String?
    public var expenses: Expenses?

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, action: Action = .submit, assistantID: AssistantID, orderID: OrderID,
        participantID: ParticipantID, start: Date, end: Date, activity: ActivityCategory, note: String? = nil, reason: String? = nil,
        expenses: Expenses? = nil
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.action = action
        self.assistantID = assistantID
        self.orderID = orderID
        self.participantID = participantID
        self.start = start
        self.end = end
        self.activity = activity
        self.note = note
        self.reason = reason
        self.expenses = expenses
    }

    public var partitionKey: String { participantID.rawValue }
    public var minutes: Int { Int(end.timeIntervalSince(start) / 60) }

    public func validate() throws(EventValidationError) {
        // Code points, as JSON Schema's maxLength counts them (a decomposed "é" is two).
        guard (1...64).contains(entryID.unicodeScalars.count) else { throw EventValidationError(field: "entryID", "must have 1 to 64 characters") }
        // PostgreSQL text cannot hold NUL (it would cut the id short, so two entries could share one).
        guard !entryID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw EventValidationError(field: "entryID", "must not contain control characters")
        }
        guard sequence >= 1 else { throw EventValidationError(field: "sequence", "must be 1 or more") }
        guard start < end else { throw EventValidationError(field: "end", "must be after the start") }
        guard end.timeIntervalSince(start) <= 24 * 3600 else { throw EventValidationError(field: "end", "an entry may span 24 hours at most") }
        guard (note?.count ?? 0) <= 2000 else { throw EventValidationError(field: "note", "must have at most 2000 characters") }
        guard (reason?.count ?? 0) <= 2000 else { throw EventValidationError(field: "reason", "must have at most 2000 characters") }
        if action == .void, (reason ?? "").trimmed.isEmpty {
            throw EventValidationError(field: "reason", "a void needs a reason")
        }
    }
}

/// An entry accepted: its minutes count for settlement.
public struct HoursAccounted: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "HoursAccounted", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var entryID: String
    public var sequence: Int
    public var participantID: ParticipantID
    public var assistantID: AssistantID
    public var orderID: OrderID
    public var editionID: EditionID
    public var start: Date
    public var end: Date
    public var month: YearMonth
    public var minutes: Int
    public var expenses: Expenses?
    /// The participant's allowance left after this entry.
    public var remainingMinutes: Int

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, participantID: ParticipantID, assistantID: AssistantID, orderID: OrderID,
        editionID: EditionID, start: Date, end: Date, month: YearMonth, minutes: Int, expenses: Expenses?, remainingMinutes: Int
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.participantID = participantID
        self.assistantID = assistantID
        self.orderID = orderID
        self.editionID = editionID
        self.start = start
        self.end = end
        self.month = month
        self.minutes = minutes
        self.expenses = expenses
        self.remainingMinutes = remainingMinutes
    }

    public var partitionKey: String { providerID.rawValue }
}

/// A stable reason code an NGO's system can branch on, with a message its clerk can act on.
public enum TimesheetRejectionCode: String, Codable, Sendable, CaseIterable {
    case badSignature = "bad-signature"
    case unknownProvider = "unknown-provider"
    case unknownAssistant = "unknown-assistant"
    case unknownOrder = "unknown-order"
    case unknownParticipant = "unknown-participant"
    case orderNotAssigned = "order-not-assigned-to-sender"
    case outsideOrder = "outside-order-time"
    case outsideEdition = "outside-edition"
    case assistantOverlap = "assistant-overlap"
    case participantOverlap = "participant-overlap"
    case assistantDailyLimit = "assistant-daily-limit"
    /// Under a statute: a qualification the scheme requires is not in the register from the visit's day.
    case assistantNotQualified = "assistant-not-qualified"
    /// Under a statute: a required qualification ends before the visit does.
    case qualificationExpired = "qualification-expired"
    case allowanceExceeded = "allowance-exceeded"
    case monthClosed = "month-closed"
    case staleSequence = "stale-sequence"
    case entryVoided = "entry-voided"
    case unknownEntry = "unknown-entry"
    case invalidEntry = "invalid-entry"
    /// The record reused the CloudEvents id of an applied record, with other content.
    case duplicateID = "duplicate-id"
}

public struct TimesheetEntryRejected: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "TimesheetEntryRejected", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var entryID: String
    public var sequence: Int
    public var code: TimesheetRejectionCode
    public var message: String

    /// An entry id the contract refuses (over 64 code points, empty, a control character)
    /// is answered in a form that fits it, so the answer itself stays valid.
    public init(providerID: ProviderID, entryID: String, sequence: Int, code: TimesheetRejectionCode, message: String) {
        self.providerID = providerID
        self.entryID = Self.fitting(entryID)
        self.sequence = sequence
        self.code = code
        self.message = message
    }

    public var partitionKey: String { providerID.rawValue }

    /// Control characters become U+FFFD; past 64 code points the id is cut to 63 and
    /// marked with "…"; an empty id is "…".
    public static func fitting(_ entryID: String) -> String {
        let scalars = entryID.unicodeScalars.prefix(65).map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }
        if scalars.isEmpty { return "…" }
        var fitted = String.UnicodeScalarView(scalars.prefix(64))
        if scalars.count > 64 { fitted = String.UnicodeScalarView(scalars.prefix(63) + ["…"]) }
        return String(fitted)
    }
}

/// A higher sequence superseded an accepted entry; the earlier version is kept.
public struct TimesheetEntryCorrected: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "TimesheetEntryCorrected", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var entryID: String
    public var sequence: Int
    public var supersededSequence: Int
    public var participantID: ParticipantID
    public var assistantID: AssistantID
    public var orderID: OrderID
    public var editionID: EditionID
    public var start: Date
    public var end: Date
    /// The month the corrected entry counts in, and the month it counted in before.
    public var month: YearMonth
    public var previousMonth: YearMonth
    public var minutes: Int
    public var previousMinutes: Int
    public var expenses: Expenses?
    public var previousExpenses: Expenses?
    public var reason: String?
    public var remainingMinutes: Int

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, supersededSequence: Int, participantID: ParticipantID, assistantID: AssistantID,
        orderID: OrderID, editionID: EditionID, start: Date, end: Date, month: YearMonth, previousMonth: YearMonth, minutes: Int,
        previousMinutes: Int, expenses: Expenses?, previousExpenses: Expenses?, reason: String?, remainingMinutes: Int
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.supersededSequence = supersededSequence
        self.participantID = participantID
        self.assistantID = assistantID
        self.orderID = orderID
        self.editionID = editionID
        self.start = start
        self.end = end
        self.month = month
        self.previousMonth = previousMonth
        self.minutes = minutes
        self.previousMinutes = previousMinutes
        self.expenses = expenses
        self.previousExpenses = previousExpenses
        self.reason = reason
        self.remainingMinutes = remainingMinutes
    }

    public var partitionKey: String { providerID.rawValue }
}

/// An accepted entry withdrawn by its NGO: its minutes no longer count.
public struct TimesheetEntryVoided: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "TimesheetEntryVoided", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var entryID: String
    public var sequence: Int
    public var participantID: ParticipantID
    public var assistantID: AssistantID
    public var orderID: OrderID
    public var editionID: EditionID
    public var month: YearMonth
    /// The minutes and expenses that no longer count.
    public var minutes: Int
    public var expenses: Expenses?
    public var reason: String
    public var remainingMinutes: Int

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, participantID: ParticipantID, assistantID: AssistantID, orderID: OrderID,
        editionID: EditionID, month: YearMonth, minutes: Int, expenses: Expenses?, reason: String, remainingMinutes: Int
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.participantID = participantID
        self.assistantID = assistantID
        self.orderID = orderID
        self.editionID = editionID
        self.month = month
        self.minutes = minutes
        self.expenses = expenses
        self.reason = reason
        self.remainingMinutes = remainingMinutes
    }

    public var partitionKey: String { providerID.rawValue }
}

/// An operator closed a month: from now on its figures change only through corrections.
public struct MonthClosed: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "MonthClosed", version: 1, topic: .timesheetPeriods)

    public var editionID: EditionID
    public var month: YearMonth
    public var closedAt: Date

    public init(editionID: EditionID, month: YearMonth, closedAt: Date) {
        self.editionID = editionID
        self.month = month
        self.closedAt = closedAt
    }

    public var partitionKey: String { editionID.rawValue }
}

/// A participant (or their guardian) confirmed a month's card ("karta realizacji
/// usług"): the visits of one NGO that counted then and were not contested. One
/// event per NGO and edition, keyed by the NGO, so each NGO follows its own.
public struct MonthConfirmed: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "MonthConfirmed", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var month: YearMonth
    public var visits: Int
    public var minutes: Int

    public init(providerID: ProviderID, participantID: ParticipantID, editionID: EditionID, month: YearMonth, visits: Int, minutes: Int) {
        self.providerID = providerID
        self.participantID = participantID
        self.editionID = editionID
        self.month = month
        self.visits = visits
        self.minutes = minutes
    }

    public var partitionKey: String { providerID.rawValue }

    public func validate() throws(EventValidationError) {
        guard visits >= 1 else { throw EventValidationError(field: "visits", "must be 1 or more") }
        guard minutes >= 0 else { throw EventValidationError(field: "minutes", "must not be negative") }
    }
}

/// Why a participant says a visit did not happen as recorded.
public enum ContestReason: String, Codable, Sendable, CaseIterable {
    /// The assistant did not come.
    case absent
    /// The visit was shorter than recorded.
    case shorter
    /// Someone else came.
    case differentPerson = "different-person"
    case other
}

/// A participant contested a counted visit. It stays counted until the NGO corrects
/// or voids the entry or an operator decides the visit stands (`ContestSettled`).
/// The comment is the participant's own words, for the NGO; reporting keeps none.
public struct VisitContested: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "VisitContested", version: 1, topic: .timesheetResults)

    public var providerID: ProviderID
    public var entryID: String
    /// The version contested: the one that counted.
    public var sequence: Int
    public var participantID: ParticipantID
    public var assistantID: AssistantID
    public var editionID: EditionID
    public var month: YearMonth
    public var minutes: Int
    public var reason: ContestReason
    public var comment: String?

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, participantID: ParticipantID, assistantID: AssistantID, editionID: EditionID,
        month: YearMonth, minutes: Int, reason: ContestReason, comment: String?
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.participantID = participantID
        self.assistantID = assistantID
        self.editionID = editionID
        self.month = month
        self.minutes = minutes
        self.reason = reason
        self.comment = comment
    }

    public var partitionKey: String { providerID.rawValue }

    public func validate() throws(EventValidationError) {
        guard (comment?.count ?? 0) <= 500 else { throw EventValidationError(field: "comment", "must have at most 500 characters") }
    }
}

/// A contest ended: the NGO corrected or voided the entry (a later version), or an
/// operator decided the visit stands as recorded.
public struct ContestSettled: DomainEvent, Hashable {
    public static let eventType = EventType(context: "timesheet", name: "ContestSettled", version: 1, topic: .timesheetResults)

    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case corrected
        case voided
        /// An operator decided the visit happened as recorded.
        case stands
    }

    public var providerID: ProviderID
    public var entryID: String
    /// The version that was contested.
    public var sequence: Int
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var month: YearMonth
    /// The contested version's minutes, no longer contested.
    public var minutes: Int
    public var outcome: Outcome

    public init(
        providerID: ProviderID, entryID: String, sequence: Int, participantID: ParticipantID, editionID: EditionID, month: YearMonth,
        minutes: Int, outcome: Outcome
    ) {
        self.providerID = providerID
        self.entryID = entryID
        self.sequence = sequence
        self.participantID = participantID
        self.editionID = editionID
        self.month = month
        self.minutes = minutes
        self.outcome = outcome
    }

    public var partitionKey: String { providerID.rawValue }
}
