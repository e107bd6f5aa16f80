import Domain
import Testing

@testable import Eligibility

/// Every rule at its edges, every rejection reason, the group and the pro-rating.
@Suite struct EligibilityRulesTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static let edition2023 = EditionRules(
        id: EditionID("2023"), name: "2023",
        period: DateRange(start: date("2023-01-01"), end: date("2023-12-31")),
        childAgeBand: AgeBand(minimumAge: 0, maximumAge: 16),
        acceptedCertificates: [.childDisability, .degree, .equivalent],
        acceptedDegrees: [.significant, .moderate],
        annualHourCaps: HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 360),
        monthlyHourLimit: nil, hourlyRateCap: Money(zloty: 40), assistantDailyLimitHours: 12,
        budget: Budget(ministryGrant: Money(zloty: 2_167_704), municipalContribution: Money(zloty: 325_156)),
        targets: Targets(participants: 68, hours: 43_000),
        expenseCaps: ExpenseCaps(
            travelPerMonth: Money(zloty: 200), ticketsPerMonth: Money(zloty: 100), protectiveEquipmentPerMonth: Money(zloty: 50),
            insurancePerYear: Money(zloty: 150)),
        providers: []
    )

    static var edition2025: EditionRules {
        var rules = edition2023
        rules.id = EditionID("2025")
        rules.period = DateRange(start: date("2025-01-01"), end: date("2025-12-31"))
        rules.childAgeBand = AgeBand(minimumAge: 2, maximumAge: 16)
        return rules
    }

    /// An adult, significant degree, permanent certificate, every document, 60 h a month.
    static func adult(
        degree: DisabilityDegree? = .significant, kind: CertificateKind = .degree, multiple: Bool = false,
        birth: String = "1980-06-15", validUntil: String? = nil, resident: Bool = true, incapacitated: Bool = false,
        documents: Set<DocumentKind> = Set(DocumentKind.alwaysRequired), hoursPerMonth: Int = 60, submittedOn: String = "2023-01-02"
    ) -> ApplicationFacts {
        ApplicationFacts(
            applicationID: ApplicationID("a1"), participantID: ParticipantID("p1"), editionID: EditionID("2023"),
            age: AgeFact(birthDate: date(birth), on: date(submittedOn)),
            certificate: CertificateFacts(
                kind: kind, degree: degree, indications: Indications(constantCare: false, carerParticipation: false),
                multipleDisabilities: multiple, issuedOn: date("2020-01-01"), validUntil: validUntil.map(date)),
            residesInProgrammeArea: resident, legallyIncapacitated: incapacitated, documents: documents,
            declaredNeeds: DeclaredNeeds(activities: [.selfCare], hoursPerMonth: hoursPerMonth)
        )
    }

    static func child(
        birth: String, constantCare: Bool = true, carerParticipation: Bool = true, submittedOn: String = "2023-01-02"
    ) -> ApplicationFacts {
        var facts = adult(degree: nil, kind: .childDisability, birth: birth, submittedOn: submittedOn)
        facts.certificate.indications = Indications(constantCare: constantCare, carerParticipation: carerParticipation)
        return facts
    }

    // MARK: - Age band

    struct AgeCase: Sendable, CustomTestStringConvertible {
        var label: String
        var birth: String
        var decidedOn: String
        var edition: EditionRules
        var reasons: [RejectionReason]
        var testDescription: String { label }
    }

    @Test(arguments: [
        AgeCase(
            label: "day before the 16th birthday: still a child", birth: "2007-03-10", decidedOn: "2023-03-09", edition: edition2023, reasons: []),
        AgeCase(
            label: "on the 16th birthday: too old", birth: "2007-03-10", decidedOn: "2023-03-10", edition: edition2023,
            reasons: [.tooOldForChildCertificate]),
        AgeCase(
            label: "day after the 16th birthday: too old", birth: "2007-03-10", decidedOn: "2023-03-11", edition: edition2023,
            reasons: [.tooOldForChildCertificate]),
        AgeCase(label: "newborn in 2023: no minimum age", birth: "2023-01-01", decidedOn: "2023-01-02", edition: edition2023, reasons: []),
        AgeCase(
            label: "2025: day before the 2nd birthday: too young", birth: "2023-05-20", decidedOn: "2025-05-19", edition: edition2025,
            reasons: [.tooYoung]),
        AgeCase(label: "2025: on the 2nd birthday: a child", birth: "2023-05-20", decidedOn: "2025-05-20", edition: edition2025, reasons: []),
        AgeCase(label: "2025: day before the 16th birthday", birth: "2009-07-01", decidedOn: "2025-06-30", edition: edition2025, reasons: []),
        AgeCase(
            label: "2025: on the 16th birthday", birth: "2009-07-01", decidedOn: "2025-07-01", edition: edition2025,
            reasons: [.tooOldForChildCertificate]),
        AgeCase(label: "born 29 Feb: 16 on 28 Feb of a common year", birth: "2008-02-29", decidedOn: "2024-02-28", edition: edition2023, reasons: []),
        AgeCase(
            label: "born 29 Feb: 16 on 29 Feb of a leap year", birth: "2008-02-29", decidedOn: "2024-02-29", edition: edition2023,
            reasons: [.tooOldForChildCertificate]),
    ])
    func childAgeBand(_ c: AgeCase) {
        var edition = c.edition
        edition.period.end = Self.date("2026-12-31")  // keep every decision day inside the edition
        let facts = Self.child(birth: c.birth, submittedOn: min(c.decidedOn, "2023-01-02") == c.decidedOn ? c.decidedOn : "2023-01-02")
        let verdict = EligibilityRules.decide(facts, edition: edition, on: Self.date(c.decidedOn))
        #expect(verdict.reasons == c.reasons)
        #expect(verdict.outcome == (c.reasons.isEmpty ? .granted : .rejected))
    }

    @Test func ageIsComputedOnTheDecisionDayNotTheSubmissionDay() {
        // Submitted two days before the 16th birthday, decided on it.
        let facts = Self.child(birth: "2007-03-10", submittedOn: "2023-03-08")
        #expect(EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-03-09")).outcome == .granted)
        #expect(EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-03-10")).reasons == [.tooOldForChildCertificate])
    }

    @Test func anAdultWithADegreeCertificateIsJudgedAsAnAdultWhateverTheChildBand() {
        let facts = Self.adult(birth: "2007-03-10", submittedOn: "2023-03-10")
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-03-10"))
        #expect(verdict.outcome == .granted)
        #expect(verdict.group == ParticipantGroup(category: .adultSignificant, multipleDisabilities: false))
    }

    // MARK: - Indications

    @Test(arguments: [(true, true, true), (true, false, false), (false, true, false), (false, false, false)])
    func childNeedsBothIndications(constantCare: Bool, carerParticipation: Bool, granted: Bool) {
        let facts = Self.child(birth: "2015-01-01", constantCare: constantCare, carerParticipation: carerParticipation)
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-01-02"))
        #expect(verdict.outcome == (granted ? .granted : .rejected))
        #expect(verdict.reasons == (granted ? [] : [.childWithoutBothIndications]))
    }

    // MARK: - Degrees and groups

    struct DegreeCase: Sendable, CustomTestStringConvertible {
        var kind: CertificateKind
        var degree: DisabilityDegree?
        var multiple: Bool
        var group: ParticipantGroup.Category?
        var cap: Int?
        var testDescription: String { "\(kind) \(degree.map(\.rawValue) ?? "no degree")\(multiple ? " multiple" : "")" }
    }

    @Test(arguments: [
        DegreeCase(kind: .degree, degree: .significant, multiple: true, group: .adultSignificant, cap: 840),
        DegreeCase(kind: .degree, degree: .significant, multiple: false, group: .adultSignificant, cap: 720),
        DegreeCase(kind: .degree, degree: .moderate, multiple: true, group: .adultModerate, cap: 480),
        DegreeCase(kind: .degree, degree: .moderate, multiple: false, group: .adultModerate, cap: 360),
        DegreeCase(kind: .degree, degree: .mild, multiple: false, group: nil, cap: nil),
        DegreeCase(kind: .degree, degree: nil, multiple: false, group: nil, cap: nil),
        DegreeCase(kind: .equivalent, degree: .significant, multiple: false, group: .adultSignificant, cap: 720),
        DegreeCase(kind: .equivalent, degree: .moderate, multiple: true, group: .adultModerate, cap: 480),
        DegreeCase(kind: .equivalent, degree: .mild, multiple: false, group: nil, cap: nil),
        DegreeCase(kind: .equivalent, degree: nil, multiple: false, group: nil, cap: nil),
    ])
    func eachDegree(_ c: DegreeCase) {
        // A full year and a need above every cap, so the hours are the cap itself.
        let facts = Self.adult(degree: c.degree, kind: c.kind, multiple: c.multiple, hoursPerMonth: 100, submittedOn: "2022-12-01")
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2022-12-01"))
        if let category = c.group {
            #expect(verdict.outcome == .granted)
            #expect(verdict.group == ParticipantGroup(category: category, multipleDisabilities: c.multiple))
            #expect(verdict.hours == c.cap)
        } else {
            #expect(verdict.outcome == .rejected)
            #expect(verdict.reasons == [.degreeNotAccepted])
        }
    }

    @Test func aChildsCertificateGivesTheChildCap() {
        var facts = Self.child(birth: "2015-01-01", submittedOn: "2022-12-01")
        facts.declaredNeeds.hoursPerMonth = 100
        facts.certificate.multipleDisabilities = true
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2022-12-01"))
        #expect(verdict.group == ParticipantGroup(category: .child, multipleDisabilities: true))
        #expect(verdict.hours == 360)
    }

    @Test func aCertificateKindTheEditionDoesNotAcceptIsRejected() {
        var edition = Self.edition2023
        edition.acceptedCertificates = [.childDisability, .degree]
        let verdict = EligibilityRules.decide(Self.adult(kind: .equivalent), edition: edition, on: Self.date("2023-01-02"))
        #expect(verdict.reasons == [.certificateKindNotAccepted])
    }

    // MARK: - Certificate validity

    struct ValidityCase: Sendable, CustomTestStringConvertible {
        var label: String
        var validUntil: String?
        var decidedOn: String
        var outcome: DecisionOutcome
        var periodEnd: String?
        var testDescription: String { label }
    }

    @Test(arguments: [
        ValidityCase(
            label: "expires the day before the period starts", validUntil: "2022-12-31", decidedOn: "2022-12-01", outcome: .rejected, periodEnd: nil),
        ValidityCase(
            label: "expires on the day the period starts", validUntil: "2023-01-01", decidedOn: "2022-12-01", outcome: .granted,
            periodEnd: "2023-01-01"),
        ValidityCase(
            label: "expires the day after the period starts", validUntil: "2023-01-02", decidedOn: "2022-12-01", outcome: .granted,
            periodEnd: "2023-01-02"),
        ValidityCase(
            label: "expires mid-edition: the period ends with it", validUntil: "2023-06-30", decidedOn: "2023-01-02", outcome: .granted,
            periodEnd: "2023-06-30"),
        ValidityCase(
            label: "expires after the edition: the edition's end", validUntil: "2024-03-31", decidedOn: "2023-01-02", outcome: .granted,
            periodEnd: "2023-12-31"),
        ValidityCase(label: "permanent: the edition's end", validUntil: nil, decidedOn: "2023-01-02", outcome: .granted, periodEnd: "2023-12-31"),
        ValidityCase(
            label: "expired before the decision day, inside the edition", validUntil: "2023-04-30", decidedOn: "2023-05-01", outcome: .rejected,
            periodEnd: nil),
        ValidityCase(
            label: "expires on the decision day", validUntil: "2023-05-01", decidedOn: "2023-05-01", outcome: .granted, periodEnd: "2023-05-01"),
    ])
    func certificateValidity(_ c: ValidityCase) {
        let facts = Self.adult(validUntil: c.validUntil, submittedOn: min(c.decidedOn, "2023-01-02"))
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date(c.decidedOn))
        #expect(verdict.outcome == c.outcome)
        #expect(verdict.reasons == (c.outcome == .rejected ? [.certificateExpired] : []))
        #expect(verdict.period?.end == c.periodEnd.map(Self.date))
    }

    // MARK: - Documents

    struct DocumentCase: Sendable, CustomTestStringConvertible {
        var incapacitated: Bool
        var present: Set<DocumentKind>
        var outcome: DecisionOutcome
        var missing: [DocumentKind]
        var reasons: [RejectionReason]
        var testDescription: String { "\(incapacitated ? "incapacitated" : "capable") with \(present.sorted().map(\.rawValue))" }
    }

    @Test(arguments: [
        DocumentCase(incapacitated: false, present: [.certificateCopy, .applicationForm], outcome: .granted, missing: [], reasons: []),
        DocumentCase(incapacitated: false, present: [.applicationForm], outcome: .waitingForDocuments, missing: [.certificateCopy], reasons: []),
        DocumentCase(incapacitated: false, present: [.certificateCopy], outcome: .waitingForDocuments, missing: [.applicationForm], reasons: []),
        DocumentCase(incapacitated: false, present: [], outcome: .waitingForDocuments, missing: [.applicationForm, .certificateCopy], reasons: []),
        DocumentCase(incapacitated: true, present: Set(DocumentKind.allCases), outcome: .granted, missing: [], reasons: []),
        DocumentCase(
            incapacitated: true, present: [.certificateCopy, .applicationForm, .courtRuling], outcome: .rejected, missing: [],
            reasons: [.missingGuardianshipDocuments]),
        DocumentCase(
            incapacitated: true, present: [.certificateCopy, .applicationForm, .guardianshipProof], outcome: .rejected, missing: [],
            reasons: [.missingGuardianshipDocuments]),
        DocumentCase(
            incapacitated: true, present: [.courtRuling, .guardianshipProof], outcome: .waitingForDocuments,
            missing: [.applicationForm, .certificateCopy], reasons: []),
        DocumentCase(incapacitated: true, present: [], outcome: .rejected, missing: [], reasons: [.missingGuardianshipDocuments]),
    ])
    func documents(_ c: DocumentCase) {
        let facts = Self.adult(incapacitated: c.incapacitated, documents: c.present)
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-01-02"))
        #expect(verdict.outcome == c.outcome)
        #expect(verdict.missingDocuments == c.missing)
        #expect(verdict.reasons == c.reasons)
    }

    @Test func rejectionReasonsWinOverMissingDocuments() {
        let facts = Self.adult(degree: .mild, documents: [])
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-01-02"))
        #expect(verdict.outcome == .rejected)
        #expect(verdict.missingDocuments.isEmpty)
    }

    // MARK: - Residence, edition, every reason at once

    @Test func aNonResidentIsRejected() {
        let verdict = EligibilityRules.decide(Self.adult(resident: false), edition: Self.edition2023, on: Self.date("2023-01-02"))
        #expect(verdict.reasons == [.notResident])
    }

    @Test(arguments: [("2023-12-31", DecisionOutcome.granted), ("2024-01-01", .rejected)])
    func decidedAfterTheEditionEnded(decidedOn: String, outcome: DecisionOutcome) {
        let verdict = EligibilityRules.decide(Self.adult(), edition: Self.edition2023, on: Self.date(decidedOn))
        #expect(verdict.outcome == outcome)
        #expect(verdict.reasons == (outcome == .rejected ? [.outsideEdition] : []))
    }

    @Test func everyReasonThatAppliesIsListed() {
        var child = Self.child(birth: "2000-01-01", constantCare: false)
        child.residesInProgrammeArea = false
        child.legallyIncapacitated = true
        child.certificate.validUntil = Self.date("2022-06-30")
        let verdict = EligibilityRules.decide(child, edition: Self.edition2023, on: Self.date("2023-01-02"))
        #expect(
            verdict.reasons == [
                .certificateExpired, .childWithoutBothIndications, .missingGuardianshipDocuments, .notResident, .tooOldForChildCertificate,
            ])

        var adult = Self.adult(degree: .mild, resident: false)
        adult.certificate.validUntil = Self.date("2022-12-31")
        #expect(
            EligibilityRules.decide(adult, edition: Self.edition2023, on: Self.date("2024-01-01")).reasons
                == [.certificateExpired, .degreeNotAccepted, .notResident, .outsideEdition])
    }

    // MARK: - Period and pro-rating

    @Test(arguments: [
        ("2023-01-01", "2023-12-31", 12), ("2023-05-15", "2023-12-31", 8), ("2023-12-31", "2023-12-31", 1),
        ("2023-01-31", "2023-02-01", 2), ("2022-11-20", "2023-02-10", 4),
    ])
    func monthsCountWholeOrStartedMonths(start: String, end: String, months: Int) {
        #expect(EligibilityRules.months(in: DateRange(start: Self.date(start), end: Self.date(end))) == months)
    }

    struct HoursCase: Sendable, CustomTestStringConvertible {
        var decidedOn: String
        var validUntil: String?
        var degree: DisabilityDegree
        var hoursPerMonth: Int
        var hours: Int
        var period: (String, String)
        var testDescription: String { "\(degree) \(hoursPerMonth) h/month decided \(decidedOn)" }
    }

    @Test(arguments: [
        // Before the edition: the whole year; need below the cap.
        HoursCase(
            decidedOn: "2022-12-01", validUntil: nil, degree: .significant, hoursPerMonth: 40, hours: 480, period: ("2023-01-01", "2023-12-31")),
        // Need above the cap: the cap.
        HoursCase(decidedOn: "2023-01-01", validUntil: nil, degree: .moderate, hoursPerMonth: 40, hours: 360, period: ("2023-01-01", "2023-12-31")),
        // August to December: 5 months; min(40 × 5, 360 × 5 / 12 = 150).
        HoursCase(decidedOn: "2023-08-20", validUntil: nil, degree: .moderate, hoursPerMonth: 40, hours: 150, period: ("2023-08-20", "2023-12-31")),
        // min(10 × 5, 150) = 50.
        HoursCase(decidedOn: "2023-08-01", validUntil: nil, degree: .moderate, hoursPerMonth: 10, hours: 50, period: ("2023-08-01", "2023-12-31")),
        // Certificate to 31 March: 3 months; min(100 × 3, 720 × 3 / 12 = 180).
        HoursCase(
            decidedOn: "2023-01-10", validUntil: "2023-03-31", degree: .significant, hoursPerMonth: 100, hours: 180,
            period: ("2023-01-10", "2023-03-31")),
        // 7 months (June–December) of 720: 420.
        HoursCase(
            decidedOn: "2023-06-30", validUntil: nil, degree: .significant, hoursPerMonth: 200, hours: 420, period: ("2023-06-30", "2023-12-31")),
    ])
    func proRatedHours(_ c: HoursCase) {
        let facts = Self.adult(
            degree: c.degree, validUntil: c.validUntil, hoursPerMonth: c.hoursPerMonth, submittedOn: min(c.decidedOn, "2023-01-02"))
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date(c.decidedOn))
        #expect(verdict.outcome == .granted)
        #expect(verdict.hours == c.hours)
        #expect(verdict.period == DateRange(start: Self.date(c.period.0), end: Self.date(c.period.1)))
    }

    /// A child's grant from May: 360 h a year over 8 months is 240 h, below the need declared;
    /// the decision says so instead of leaving "240 of 360" to the eligibility canvas.
    @Test func aGrantSaysHowItsHoursWereReached() throws {
        var facts = Self.adult(degree: nil, kind: .childDisability, birth: "2015-03-01", hoursPerMonth: 40, submittedOn: "2023-01-02")
        facts.certificate.indications = Indications(constantCare: true, carerParticipation: true)
        let verdict = EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-05-15"))
        let basis = try #require(verdict.hoursBasis)
        #expect(verdict.hours == basis.hours)
        #expect(
            basis.annualCap == 360 && basis.months == 8 && basis.capForPeriod == 240 && basis.declaredForPeriod == 320 && basis.boundBy == .annualCap)
        #expect(verdict.hours == 240)
        #expect(
            basis.explanation
                == "360 h rocznie × 8/12 miesięcy = 240 h; zadeklarowana potrzeba 40 h miesięcznie × 8 = 320 h; przyznano 240 h (roczny limit grupy)")
        // A need below the pro-rated cap is what is granted, and said to be.
        facts.declaredNeeds.hoursPerMonth = 5
        let small = try #require(EligibilityRules.decide(facts, edition: Self.edition2023, on: Self.date("2023-05-15")).hoursBasis)
        #expect(small.boundBy == .declaredNeed && small.hours == 40 && small.explanation.hasSuffix("; przyznano 40 h (zadeklarowana potrzeba)"))
    }

    @Test func aMonthlyLimitCapsTheHoursToo() throws {
        var edition = Self.edition2023
        edition.monthlyHourLimit = 30
        let verdict = EligibilityRules.decide(Self.adult(hoursPerMonth: 50), edition: edition, on: Self.date("2023-01-02"))
        #expect(verdict.hours == 360)  // min(50 × 12, 720, 30 × 12)
        #expect(
            try #require(verdict.hoursBasis).explanation
                == "720 h rocznie × 12/12 miesięcy = 720 h; zadeklarowana potrzeba 50 h miesięcznie × 12 = 600 h; miesięczny limit edycji 30 h × 12 = 360 h; przyznano 360 h (miesięczny limit edycji)"
        )
    }
}
