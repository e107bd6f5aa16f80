/// One edition of the programme, or one statutory scheme, as data: operators change
/// these in a file under `deploy/editions/`, never in code. A file with `statute`
/// is a statutory scheme (monthly budgets, support-needs scores); one without is a
/// programme edition (annual caps by group).
public struct EditionRules: Hashable, Codable, Sendable {
    public var id: EditionID
    public var name: String
    /// Services run from the grant until this period's end at the latest.
    public var period: DateRange
    /// Children's ages; under a statute, the youth band (13–18).
    public var childAgeBand: AgeBand
    public var acceptedCertificates: [CertificateKind]
    public var acceptedDegrees: [DisabilityDegree]
    /// A programme edition's caps; absent under a statute, whose budgets are monthly.
    public var annualHourCaps: HourCaps?
    /// A local limit such as Wrocław's 30 hours a month in 2020; nil when none.
    public var monthlyHourLimit: Int?
    public var hourlyRateCap: Money
    /// The most hours one assistant may work in any 24 hours, across participants.
    public var assistantDailyLimitHours: Int
    /// How long before a service starts a participant may still cancel it; absent: 24 hours.
    public var cancellationNoticeHours: Int?
    public var budget: Budget
    public var targets: Targets
    public var expenseCaps: ExpenseCaps
    public var providers: [ProviderProfile]
    /// Present for a statutory scheme.
    public var statute: StatuteRules?

    public init(
        id: EditionID, name: String, period: DateRange, childAgeBand: AgeBand, acceptedCertificates: [CertificateKind],
        acceptedDegrees: [DisabilityDegree], annualHourCaps: HourCaps?, monthlyHourLimit: Int?, hourlyRateCap: Money, assistantDailyLimitHours: Int,
        budget: Budget, targets: Targets, expenseCaps: ExpenseCaps, providers: [ProviderProfile], cancellationNoticeHours: Int? = nil,
        statute: StatuteRules? = nil
    ) {
        self.id = id
        self.name = name
        self.period = period
        self.childAgeBand = childAgeBand
        self.acceptedCertificates = acceptedCertificates
        self.acceptedDegrees = acceptedDegrees
        self.annualHourCaps = annualHourCaps
        self.monthlyHourLimit = monthlyHourLimit
        self.hourlyRateCap = hourlyRateCap
        self.assistantDailyLimitHours = assistantDailyLimitHours
        self.budget = budget
        self.targets = targets
        self.expenseCaps = expenseCaps
        self.providers = providers
        self.cancellationNoticeHours = cancellationNoticeHours
        self.statute = statute
    }

    /// `cancellationNoticeHours`, or the programme's usual 24 hours.
    public var cancellationNotice: Int { cancellationNoticeHours ?? 24 }
}

/// Children qualify from `minimumAge` (0, or 2 from the 2025 edition) until the day
/// before their `maximumAge` birthday: "up to 16" ends on the 16th birthday.
public struct AgeBand: Hashable, Codable, Sendable {
    public var minimumAge: Int
    public var maximumAge: Int
    public init(minimumAge: Int, maximumAge: Int) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }
}

/// Annual hour caps per participant group (2023: 840 / 720 / 480 / 360 / 360).
public struct HourCaps: Hashable, Codable, Sendable {
    public var significantMultiple: Int
    public var significant: Int
    public var moderateMultiple: Int
    public var moderate: Int
    public var child: Int

    public init(significantMultiple: Int, significant: Int, moderateMultiple: Int, moderate: Int, child: Int) {
        self.significantMultiple = significantMultiple
        self.significant = significant
        self.moderateMultiple = moderateMultiple
        self.moderate = moderate
        self.child = child
    }

    public func cap(for group: ParticipantGroup) -> Int {
        switch (group.category, group.multipleDisabilities) {
        case (.child, _): child
        case (.adultSignificant, true): significantMultiple
        case (.adultSignificant, false): significant
        case (.adultModerate, true): moderateMultiple
        case (.adultModerate, false): moderate
        }
    }
}

/// The plan the budget execution is measured against.
public struct Budget: Hashable, Codable, Sendable {
    public var ministryGrant: Money
    public var municipalContribution: Money
    public init(ministryGrant: Money, municipalContribution: Money) {
        self.ministryGrant = ministryGrant
        self.municipalContribution = municipalContribution
    }
    public var total: Money { ministryGrant + municipalContribution }
}

/// What the edition promised: people supported and hours delivered.
public struct Targets: Hashable, Codable, Sendable {
    public var participants: Int
    public var hours: Int
    public init(participants: Int, hours: Int) {
        self.participants = participants
        self.hours = hours
    }
}

/// Caps on the assistant's costs the programme covers (2021: 200 / 100 / 50 a month, 150 a year).
public struct ExpenseCaps: Hashable, Codable, Sendable {
    public var travelPerMonth: Money
    public var ticketsPerMonth: Money
    public var protectiveEquipmentPerMonth: Money
    public var insurancePerYear: Money
    public init(travelPerMonth: Money, ticketsPerMonth: Money, protectiveEquipmentPerMonth: Money, insurancePerYear: Money) {
        self.travelPerMonth = travelPerMonth
        self.ticketsPerMonth = ticketsPerMonth
        self.protectiveEquipmentPerMonth = protectiveEquipmentPerMonth
        self.insurancePerYear = insurancePerYear
    }
}

/// An NGO chosen in the open call, with the hourly rate in its contract.
/// Organisations only: no personal names.
public struct ProviderProfile: Hashable, Codable, Sendable {
    public var id: ProviderID
    public var name: String
    public var hourlyRate: Money
    public init(id: ProviderID, name: String, hourlyRate: Money) {
        self.id = id
        self.name = name
        self.hourlyRate = hourlyRate
    }
}

/// Expenses an assistant reports with an entry, covered up to the edition's caps.
public struct Expenses: Hashable, Codable, Sendable {
    public var travel: Money
    public var tickets: Money
    public var protectiveEquipment: Money
    public init(travel: Money = .zero, tickets: Money = .zero, protectiveEquipment: Money = .zero) {
        self.travel = travel
        self.tickets = tickets
        self.protectiveEquipment = protectiveEquipment
    }
}
