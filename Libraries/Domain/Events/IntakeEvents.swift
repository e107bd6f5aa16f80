// Events intake publishes on `asysta.intake.applications`, keyed by participant.
// They carry the facts eligibility needs and nothing else: never PESEL, names,
// addresses or contacts, which stay encrypted in intake.

/// Age as facts, not a birth date: the years completed on `on` and the next
/// birthday, from which the age on any later day follows.
public struct AgeFact: Hashable, Codable, Sendable {
    public var years: Int
    public var on: CalendarDate
    public var nextBirthday: CalendarDate
    /// True for someone born on 29 February: `nextBirthday` may then be a 28 February,
    /// and later birthdays in leap years fall on the 29th. Omitted (nil) otherwise.
    public var leapDayBirthday: Bool?

    public init(years: Int, on: CalendarDate, nextBirthday: CalendarDate, leapDayBirthday: Bool? = nil) {
        self.years = years
        self.on = on
        self.nextBirthday = nextBirthday
        self.leapDayBirthday = leapDayBirthday
    }

    public init(birthDate: CalendarDate, on date: CalendarDate) {
        let years = birthDate.completedYears(on: date)
        let leapDay = birthDate.month == 2 && birthDate.day == 29
        self.init(years: years, on: date, nextBirthday: birthDate.adding(years: years + 1), leapDayBirthday: leapDay ? true : nil)
    }

    /// Completed years on `date` (not before `on`).
    public func years(on date: CalendarDate) -> Int {
        var age = years
        while birthday(turning: age + 1) <= date { age += 1 }
        return age
    }

    /// The day the person turns `age`.
    public func birthday(turning age: Int) -> CalendarDate {
        let year = nextBirthday.year + age - years - 1
        let day = leapDayBirthday == true ? 29 : nextBirthday.day
        return CalendarDate(year: year, month: nextBirthday.month, day: min(day, CalendarDate.days(inMonth: nextBirthday.month, year: year)))!
    }
}

/// How many hours a month the applicant declares, and for what.
public struct DeclaredNeeds: Hashable, Codable, Sendable {
    public var activities: [ActivityCategory]
    public var hoursPerMonth: Int
    public init(activities: [ActivityCategory], hoursPerMonth: Int) {
        self.activities = activities
        self.hoursPerMonth = hoursPerMonth
    }
}

public struct ApplicationSubmitted: DomainEvent, Hashable {
    public static let eventType = EventType(context: "intake", name: "ApplicationSubmitted", version: 1, topic: .applications)

    public var applicationID: ApplicationID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var submittedOn: CalendarDate
    public var age: AgeFact
    public var certificate: CertificateFacts
    /// Lives in the programme's area (Wrocław by default).
    public var residesInProgrammeArea: Bool
    /// Ubezwłasnowolniony: the guardian applies, with the two guardianship documents.
    public var legallyIncapacitated: Bool
    public var documents: [DocumentKind]
    public var declaredNeeds: DeclaredNeeds
    /// The support-needs score a statutory scheme asks of adults; absent otherwise (and
    /// in every record written before statutes), so version 1 still reads.
    public var supportNeeds: SupportNeedsAssessment?

    public init(
        applicationID: ApplicationID, participantID: ParticipantID, editionID: EditionID, submittedOn: CalendarDate, age: AgeFact,
        certificate: CertificateFacts, residesInProgrammeArea: Bool, legallyIncapacitated: Bool, documents: [DocumentKind],
        declaredNeeds: DeclaredNeeds, supportNeeds: SupportNeedsAssessment? = nil
    ) {
        self.applicationID = applicationID
        self.participantID = participantID
        self.editionID = editionID
        self.submittedOn = submittedOn
        self.age = age
        self.certificate = certificate
        self.residesInProgrammeArea = residesInProgrammeArea
        self.legallyIncapacitated = legallyIncapacitated
        self.documents = documents
        self.declaredNeeds = declaredNeeds
        self.supportNeeds = supportNeeds
    }

    public var partitionKey: String { participantID.rawValue }

    public func validate() throws(EventValidationError) {
        if let supportNeeds, !(0...100).contains(supportNeeds.score) {
            throw EventValidationError(field: "supportNeeds.score", "must be between 0 and 100")
        }
        guard age.years >= 0, age.years < 130 else { throw EventValidationError(field: "age.years", "must be between 0 and 129") }
        guard declaredNeeds.hoursPerMonth > 0, declaredNeeds.hoursPerMonth <= 744 else {
            throw EventValidationError(field: "declaredNeeds.hoursPerMonth", "must be between 1 and 744")
        }
    }
}

public struct DocumentsAdded: DomainEvent, Hashable {
    public static let eventType = EventType(context: "intake", name: "DocumentsAdded", version: 1, topic: .applications)

    public var applicationID: ApplicationID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var addedOn: CalendarDate
    /// Every document the application has now, not only the new ones.
    public var documents: [DocumentKind]

    public init(applicationID: ApplicationID, participantID: ParticipantID, editionID: EditionID, addedOn: CalendarDate, documents: [DocumentKind]) {
        self.applicationID = applicationID
        self.participantID = participantID
        self.editionID = editionID
        self.addedOn = addedOn
        self.documents = documents
    }

    public var partitionKey: String { participantID.rawValue }
}

public struct ApplicationWithdrawn: DomainEvent, Hashable {
    public static let eventType = EventType(context: "intake", name: "ApplicationWithdrawn", version: 1, topic: .applications)

    public var applicationID: ApplicationID
    public var participantID: ParticipantID
    public var editionID: EditionID
    public var withdrawnOn: CalendarDate

    public init(applicationID: ApplicationID, participantID: ParticipantID, editionID: EditionID, withdrawnOn: CalendarDate) {
        self.applicationID = applicationID
        self.participantID = participantID
        self.editionID = editionID
        self.withdrawnOn = withdrawnOn
    }

    public var partitionKey: String { participantID.rawValue }
}
