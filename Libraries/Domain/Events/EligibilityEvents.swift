// Events eligibility publishes: editions on `asysta.eligibility.editions`
// (keyed by edition), decisions and grants on `asysta.eligibility.decisions`
// (keyed by participant).

/// An edition's rules as loaded from its configuration file: ordering seeds its
/// providers from it, reporting its budget, rate cap and targets.
public struct EditionPublished: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "EditionPublished", version: 1, topic: .editions)

    public var rules: EditionRules
    public init(rules: EditionRules) { self.rules = rules }
    public var partitionKey: String { rules.id.rawValue }

    /// A programme edition as version 1, which every consumer of the programme reads; a
    /// statutory scheme, which has no annual caps, as version 2.
    public static func announcing(_ rules: EditionRules) -> any DomainEvent {
        rules.statute == nil ? EditionPublished(rules: rules) : EditionPublishedV2(rules: rules)
    }
}

/// Version 2: the rules may be a statutory scheme's (`statute`, monthly budgets) and
/// then have no `annualHourCaps`.
public struct EditionPublishedV2: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "EditionPublished", version: 2, topic: .editions)

    public var rules: EditionRules
    public init(rules: EditionRules) { self.rules = rules }
    public var partitionKey: String { rules.id.rawValue }
}

/// Why an application cannot be granted; an operator sees every reason that applies.
public enum RejectionReason: String, Codable, Sendable, CaseIterable, Comparable {
    case notResident = "not-resident"
    case certificateKindNotAccepted = "certificate-kind-not-accepted"
    case degreeNotAccepted = "degree-not-accepted"
    case childWithoutBothIndications = "child-without-both-indications"
    case certificateExpired = "certificate-expired"
    case tooOldForChildCertificate = "too-old-for-child-certificate"
    case tooYoung = "too-young"
    case missingGuardianshipDocuments = "missing-guardianship-documents"
    case outsideEdition = "outside-edition"
    case overriddenByOperator = "overridden-by-operator"
    // Under a statutory scheme
    /// Younger than the youth band or past the adults' (13–65 in the draft).
    case outsideAgeBand = "outside-age-band"
    /// An adult's support-needs score below the scheme's threshold (80 points).
    case supportScoreTooLow = "support-score-too-low"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum DecisionOutcome: String, Codable, Sendable {
    case granted
    case rejected
    case waitingForDocuments = "waiting-for-documents"
}

/// Who settled a decision: the rules alone, or an operator confirming or overriding them.
public enum DecisionReview: String, Codable, Sendable {
    case automatic
    case confirmed
    case overridden
}

public struct EligibilityDecided: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "EligibilityDecided", version: 1, topic: .decisions)

    public var decisionID: DecisionID
    public var applicationID: ApplicationID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var outcome: DecisionOutcome
    public var reasons: [RejectionReason]
    public var missingDocuments: [DocumentKind]
    /// For a grant: the hours and the period; absent otherwise.
    public var grantedHours: Int?
    public var period: DateRange?
    public var group: ParticipantGroup?
    public var decidedOn: CalendarDate
    public var review: DecisionReview

    public init(
        decisionID: DecisionID, applicationID: ApplicationID, participantID: ParticipantID, editionID: EditionID, outcome: DecisionOutcome,
        reasons: [RejectionReason], missingDocuments: [DocumentKind], grantedHours: Int?, period: DateRange?, group: ParticipantGroup?,
        decidedOn: CalendarDate, review: DecisionReview
    ) {
        self.decisionID = decisionID
        self.applicationID = applicationID
        self.participantID = participantID
        self.editionID = editionID
        self.outcome = outcome
        self.reasons = reasons
        self.missingDocuments = missingDocuments
        self.grantedHours = grantedHours
        self.period = period
        self.group = group
        self.decidedOn = decidedOn
        self.review = review
    }

    public var partitionKey: String { participantID.rawValue }
}

/// Decyzja o objęciu wsparciem: the participant may order up to `hours` within `period`.
public struct SupportGranted: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "SupportGranted", version: 1, topic: .decisions)

    public var grantID: GrantID
    public var participantID: ParticipantID
    public var applicationID: ApplicationID
    public var editionID: EditionID
    public var group: ParticipantGroup
    public var hours: Int
    public var period: DateRange
    public var grantedOn: CalendarDate

    public init(
        grantID: GrantID, participantID: ParticipantID, applicationID: ApplicationID, editionID: EditionID, group: ParticipantGroup, hours: Int,
        period: DateRange, grantedOn: CalendarDate
    ) {
        self.grantID = grantID
        self.participantID = participantID
        self.applicationID = applicationID
        self.editionID = editionID
        self.group = group
        self.hours = hours
        self.period = period
        self.grantedOn = grantedOn
    }

    public var partitionKey: String { participantID.rawValue }

    public func validate() throws(EventValidationError) {
        guard hours > 0 else { throw EventValidationError(field: "hours", "must be positive") }
    }
}

public struct SupportRevoked: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "SupportRevoked", version: 1, topic: .decisions)

    public var grantID: GrantID
    public var participantID: ParticipantID
    public var editionID: EditionID
    /// Services after this day are no longer covered.
    public var revokedOn: CalendarDate

    public init(grantID: GrantID, participantID: ParticipantID, editionID: EditionID, revokedOn: CalendarDate) {
        self.grantID = grantID
        self.participantID = participantID
        self.editionID = editionID
        self.revokedOn = revokedOn
    }

    public var partitionKey: String { participantID.rawValue }
}

/// Version 2 of the grant: a statutory scheme's decision, which grants a budget each
/// month (`hoursPerMonth`, with `carryOver` of the unused hours while it runs) for up to
/// five years. `hours` is the budget over the whole period, so a consumer that counts
/// only totals reads it as it reads version 1 (`totals`).
public struct SupportGrantedV2: DomainEvent, Hashable {
    public static let eventType = EventType(context: "eligibility", name: "SupportGranted", version: 2, topic: .decisions)

    public var grantID: GrantID
    public var participantID: ParticipantID
    public var applicationID: ApplicationID
    public var editionID: EditionID
    public var group: ParticipantGroup
    /// hoursPerMonth × the calendar months the period touches.
    public var hours: Int
    public var hoursPerMonth: Int
    public var carryOver: Bool
    public var period: DateRange
    public var grantedOn: CalendarDate

    public init(
        grantID: GrantID, participantID: ParticipantID, applicationID: ApplicationID, editionID: EditionID, group: ParticipantGroup, hours: Int,
        hoursPerMonth: Int, carryOver: Bool, period: DateRange, grantedOn: CalendarDate
    ) {
        self.grantID = grantID
        self.participantID = participantID
        self.applicationID = applicationID
        self.editionID = editionID
        self.group = group
        self.hours = hours
        self.hoursPerMonth = hoursPerMonth
        self.carryOver = carryOver
        self.period = period
        self.grantedOn = grantedOn
    }

    /// A version 1 grant's totals with its budget each month.
    public init(_ totals: SupportGranted, hoursPerMonth: Int, carryOver: Bool) {
        self.init(
            grantID: totals.grantID, participantID: totals.participantID, applicationID: totals.applicationID, editionID: totals.editionID,
            group: totals.group, hours: totals.hours, hoursPerMonth: hoursPerMonth, carryOver: carryOver, period: totals.period,
            grantedOn: totals.grantedOn)
    }

    public var partitionKey: String { participantID.rawValue }

    /// The grant as version 1 says it: the hours over the whole period.
    public var totals: SupportGranted {
        SupportGranted(
            grantID: grantID, participantID: participantID, applicationID: applicationID, editionID: editionID, group: group, hours: hours,
            period: period, grantedOn: grantedOn)
    }

    public func validate() throws(EventValidationError) {
        guard hoursPerMonth > 0 else { throw EventValidationError(field: "hoursPerMonth", "must be positive") }
        guard hours >= hoursPerMonth else { throw EventValidationError(field: "hours", "must be at least hoursPerMonth") }
        guard period.start <= period.end else { throw EventValidationError(field: "period.end", "must not be before period.start") }
    }
}
