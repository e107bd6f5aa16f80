import FoundationEssentials

// Events ordering publishes: the provider registry on `asysta.ordering.providers`
// (keyed by provider), orders and ratings on `asysta.ordering.orders` (keyed by
// participant). The place of a service is an address: it stays in ordering.

public struct ProviderRegistered: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "ProviderRegistered", version: 1, topic: .providers)

    public var providerID: ProviderID
    public var editionID: EditionID
    /// The organisation's name: NGOs are public bodies, not persons.
    public var name: String
    public var hourlyRate: Money

    public init(providerID: ProviderID, editionID: EditionID, name: String, hourlyRate: Money) {
        self.providerID = providerID
        self.editionID = editionID
        self.name = name
        self.hourlyRate = hourlyRate
    }

    public var partitionKey: String { providerID.rawValue }
}

/// An assistant by id and skills only; who they are stays with their NGO.
public struct AssistantRegistered: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "AssistantRegistered", version: 1, topic: .providers)

    public var assistantID: AssistantID
    public var providerID: ProviderID
    public var skills: [Skill]

    public init(assistantID: AssistantID, providerID: ProviderID, skills: [Skill]) {
        self.assistantID = assistantID
        self.providerID = providerID
        self.skills = skills
    }

    public var partitionKey: String { providerID.rawValue }
}

/// An entry of the register of assistants: the NGO recorded that its assistant holds a
/// qualification from `obtainedOn` until `validUntil` (nil: without expiry). The newest
/// record of a kind replaces the one before; one already ended withdraws it. Timesheet
/// checks a statutory scheme's visits against them.
public struct AssistantQualificationRecorded: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "AssistantQualificationRecorded", version: 1, topic: .providers)

    public var assistantID: AssistantID
    public var providerID: ProviderID
    public var kind: QualificationKind
    public var obtainedOn: CalendarDate
    public var validUntil: CalendarDate?

    public init(assistantID: AssistantID, providerID: ProviderID, kind: QualificationKind, obtainedOn: CalendarDate, validUntil: CalendarDate?) {
        self.assistantID = assistantID
        self.providerID = providerID
        self.kind = kind
        self.obtainedOn = obtainedOn
        self.validUntil = validUntil
    }

    public var partitionKey: String { providerID.rawValue }

    public func validate() throws(EventValidationError) {
        if let validUntil, validUntil < obtainedOn { throw EventValidationError(field: "validUntil", "must not be before obtainedOn") }
    }

    /// Whether it holds on every day from `first` to `last`: obtained by the first, valid through the last.
    public func covers(_ first: CalendarDate, _ last: CalendarDate) -> Bool {
        obtainedOn <= first && (validUntil.map { last <= $0 } ?? true)
    }
}

/// What a statute's assistant lacks for the days of a service: ordering refuses the
/// assignment and timesheet the visit on the same rule, each with its own words.
public enum QualificationShortfall: Hashable, Sendable {
    /// Never recorded, or recorded from a day after the first.
    case missing(QualificationKind)
    /// Recorded, but ending before the last day.
    case expired(AssistantQualificationRecorded)

    /// A missing one first (whichever of `required`), else the first expired one; nil when
    /// the register holds every one of `required` from `first` through `last`.
    public static func first(
        of required: [QualificationKind], in register: [QualificationKind: AssistantQualificationRecorded], from first: CalendarDate,
        through last: CalendarDate
    ) -> Self? {
        if let missing = required.first(where: { register[$0].map { $0.obtainedOn <= first } != true }) { return .missing(missing) }
        return required.lazy.compactMap { register[$0] }.first { !$0.covers(first, last) }.map(Self.expired)
    }
}

public struct OrderPlaced: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "OrderPlaced", version: 1, topic: .orders)

    public var orderID: OrderID
    public var participantID: ParticipantID
    public var grantID: GrantID
    public var editionID: EditionID
    public var start: Date
    public var end: Date
    public var activity: ActivityCategory
    public var requiredSkills: [Skill]

    public init(
        orderID: OrderID, participantID: ParticipantID, grantID: GrantID, editionID: EditionID, start: Date, end: Date, activity: ActivityCategory,
        requiredSkills: [Skill]
    ) {
        self.orderID = orderID
        self.participantID = participantID
        self.grantID = grantID
        self.editionID = editionID
        self.start = start
        self.end = end
        self.activity = activity
        self.requiredSkills = requiredSkills
    }

    public var partitionKey: String { participantID.rawValue }
    public var minutes: Int { Int(end.timeIntervalSince(start) / 60) }

    public func validate() throws(EventValidationError) {
        guard start < end else { throw EventValidationError(field: "end", "must be after the start") }
    }
}

public struct OrderAssigned: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "OrderAssigned", version: 1, topic: .orders)

    public var orderID: OrderID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var providerID: ProviderID
    public var assistantID: AssistantID
    public var start: Date
    public var end: Date

    public init(
        orderID: OrderID, participantID: ParticipantID, editionID: EditionID, providerID: ProviderID, assistantID: AssistantID, start: Date, end: Date
    ) {
        self.orderID = orderID
        self.participantID = participantID
        self.editionID = editionID
        self.providerID = providerID
        self.assistantID = assistantID
        self.start = start
        self.end = end
    }

    public var partitionKey: String { participantID.rawValue }

    public func validate() throws(EventValidationError) {
        guard start < end else { throw EventValidationError(field: "end", "must be after the start") }
    }
}

public struct OrderCancelled: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "OrderCancelled", version: 1, topic: .orders)

    public enum CancelledBy: String, Codable, Sendable {
        case participant, coordinator, provider
    }

    public var orderID: OrderID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var cancelledAt: Date
    public var cancelledBy: CancelledBy

    public init(orderID: OrderID, participantID: ParticipantID, editionID: EditionID, cancelledAt: Date, cancelledBy: CancelledBy) {
        self.orderID = orderID
        self.participantID = participantID
        self.editionID = editionID
        self.cancelledAt = cancelledAt
        self.cancelledBy = cancelledBy
    }

    public var partitionKey: String { participantID.rawValue }
}

/// The evaluation of one delivered service. The free-text comment stays in
/// ordering: it may name people.
public struct ServiceRated: DomainEvent, Hashable {
    public static let eventType = EventType(context: "ordering", name: "ServiceRated", version: 1, topic: .orders)

    public struct Score: Hashable, Codable, Sendable {
        /// A question code of the evaluation form, e.g. "punctuality".
        public var question: String
        public var score: Int
        public init(question: String, score: Int) {
            self.question = question
            self.score = score
        }
    }

    public var ratingID: RatingID
    public var orderID: OrderID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var providerID: ProviderID
    public var ratedOn: CalendarDate
    public var scores: [Score]

    public init(
        ratingID: RatingID, orderID: OrderID, participantID: ParticipantID, editionID: EditionID, providerID: ProviderID, ratedOn: CalendarDate,
        scores: [Score]
    ) {
        self.ratingID = ratingID
        self.orderID = orderID
        self.participantID = participantID
        self.editionID = editionID
        self.providerID = providerID
        self.ratedOn = ratedOn
        self.scores = scores
    }

    public var partitionKey: String { participantID.rawValue }

    public func validate() throws(EventValidationError) {
        guard !scores.isEmpty else { throw EventValidationError(field: "scores", "must not be empty") }
        for (index, score) in scores.enumerated() where !(1...5).contains(score.score) {
            throw EventValidationError(field: "scores[\(index)].score", "must be from 1 to 5")
        }
    }
}
