import Foundation
import TestSupport

@testable import Domain
@testable import EventJSON

/// Freshly built values of every event type, with their optionals both present and absent.
enum Samples {
    static let participant = ParticipantID("5d0f8a9e-3b1c-4e7a-9f21-6c8b2d4e1a07")
    static let application = ApplicationID("a3c51e02-7d4f-4b8e-8a61-0f2e9c7b5d13")
    static let edition = EditionID("2022")
    static let provider = ProviderID("e8b3f1d2-4c5a-4f6e-9d7b-1a2c3e4f5a6b")
    static let assistant = AssistantID("0b7e2c4d-9a1f-4e3b-8c5d-6f7a8b9c0d1e")
    static let order = OrderID("7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918")
    static let grant = GrantID("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")

    static let start = instant("2022-06-07T09:00:00+02:00")
    static let end = instant("2022-06-07T12:30:00+02:00")
    static let period = DateRange(start: day("2022-05-16"), end: day("2022-12-31"))
    static let expenses = Expenses(travel: Money("7.40")!, tickets: Money("25")!, protectiveEquipment: .zero)
    static let group = ParticipantGroup(category: .adultSignificant, multipleDisabilities: true)

    static func rules(monthlyLimit: Int?) -> EditionRules {
        EditionRules(
            id: edition, name: "Asystent osobisty osoby niepełnosprawnej – edycja 2022",
            period: DateRange(start: day("2022-05-01"), end: day("2022-12-31")),
            childAgeBand: AgeBand(minimumAge: 0, maximumAge: 16), acceptedCertificates: CertificateKind.allCases,
            acceptedDegrees: [.significant, .moderate],
            annualHourCaps: HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 360),
            monthlyHourLimit: monthlyLimit, hourlyRateCap: Money(zloty: 40), assistantDailyLimitHours: 12,
            budget: Budget(ministryGrant: Money("2167704.00")!, municipalContribution: Money("325156.00")!),
            targets: Targets(participants: 120, hours: 52000),
            expenseCaps: ExpenseCaps(
                travelPerMonth: Money(zloty: 200), ticketsPerMonth: Money(zloty: 100), protectiveEquipmentPerMonth: Money(zloty: 50),
                insurancePerYear: Money(zloty: 150)),
            providers: [
                ProviderProfile(id: provider, name: "Fundacja Promyk Słońca", hourlyRate: Money("38.50")!),
                ProviderProfile(id: .random(), name: "Stowarzyszenie Bonitum", hourlyRate: Money(zloty: 40)),
            ])
    }

    /// The statutory scheme's file in deploy/editions.
    static let statute = try! JSONDecoder().decode(EditionRules.self, from: Data(Repository.bytes("deploy/editions/ustawa-2027.json")))

    /// Every sample, each with a label saying which variant it is.
    static let all: [(label: String, event: any DomainEvent)] = [
        (
            "adult, certificate with degree and expiry",
            ApplicationSubmitted(
                applicationID: application, participantID: participant, editionID: edition, submittedOn: day("2022-05-09"),
                age: AgeFact(birthDate: day("1988-11-17"), on: day("2022-05-09")),
                certificate: CertificateFacts(
                    kind: .degree, degree: .moderate, indications: Indications(constantCare: false, carerParticipation: false),
                    multipleDisabilities: false, issuedOn: day("2021-01-20"), validUntil: day("2024-01-31")),
                residesInProgrammeArea: true, legallyIncapacitated: true, documents: DocumentKind.allCases,
                declaredNeeds: DeclaredNeeds(activities: [.workOrSchool, .mobility], hoursPerMonth: 30),
                supportNeeds: SupportNeedsAssessment(score: 86, assessedOn: day("2022-03-02"), issuedBy: "MZON Wrocław"))
        ),
        (
            "child, permanent certificate without degree",
            ApplicationSubmitted(
                applicationID: .random(), participantID: .random(), editionID: edition, submittedOn: day("2022-05-10"),
                age: AgeFact(birthDate: day("2012-02-29"), on: day("2022-05-10")),
                certificate: CertificateFacts(
                    kind: .childDisability, degree: nil, indications: Indications(constantCare: true, carerParticipation: true),
                    multipleDisabilities: true, issuedOn: day("2020-09-01"), validUntil: nil),
                residesInProgrammeArea: true, legallyIncapacitated: false, documents: [],
                declaredNeeds: DeclaredNeeds(activities: [], hoursPerMonth: 1))
        ),
        (
            "documents",
            DocumentsAdded(
                applicationID: application, participantID: participant, editionID: edition, addedOn: day("2022-05-12"),
                documents: DocumentKind.guardianship)
        ),
        (
            "withdrawal",
            ApplicationWithdrawn(applicationID: application, participantID: participant, editionID: edition, withdrawnOn: day("2022-05-20"))
        ),
        ("edition without a monthly limit", EditionPublished(rules: rules(monthlyLimit: nil))),
        ("edition with a monthly limit", EditionPublished(rules: rules(monthlyLimit: 30))),
        ("statutory scheme, as operators keep it", EditionPublishedV2(rules: statute)),
        (
            "granted",
            EligibilityDecided(
                decisionID: .random(), applicationID: application, participantID: participant, editionID: edition, outcome: .granted, reasons: [],
                missingDocuments: [], grantedHours: 480, period: period, group: group, decidedOn: day("2022-05-16"), review: .automatic)
        ),
        (
            "rejected",
            EligibilityDecided(
                decisionID: .random(), applicationID: application, participantID: participant, editionID: edition, outcome: .rejected,
                reasons: RejectionReason.allCases, missingDocuments: DocumentKind.allCases, grantedHours: nil, period: nil, group: nil,
                decidedOn: day("2022-05-16"), review: .overridden)
        ),
        (
            "grant",
            SupportGranted(
                grantID: grant, participantID: participant, applicationID: application, editionID: edition,
                group: ParticipantGroup(category: .child, multipleDisabilities: false), hours: 360, period: period, grantedOn: day("2022-05-16"))
        ),
        (
            "grant of a monthly budget",
            SupportGrantedV2(
                grantID: grant, participantID: participant, applicationID: application, editionID: statute.id, group: group, hours: 120 * 12,
                hoursPerMonth: 120, carryOver: true, period: DateRange(start: day("2027-04-01"), end: day("2028-03-31")),
                grantedOn: day("2027-03-15"))
        ),
        ("revocation", SupportRevoked(grantID: grant, participantID: participant, editionID: edition, revokedOn: day("2022-11-30"))),
        (
            "provider",
            ProviderRegistered(
                providerID: provider, editionID: edition, name: "Wrocławskie Stowarzyszenie Głuchych \"Nadzieja\"", hourlyRate: Money("37.50")!)
        ),
        ("assistant", AssistantRegistered(assistantID: assistant, providerID: provider, skills: Skill.allCases)),
        (
            "a qualification with an expiry",
            AssistantQualificationRecorded(
                assistantID: assistant, providerID: provider, kind: .firstAid, obtainedOn: day("2027-02-20"), validUntil: day("2029-02-19"))
        ),
        (
            "a qualification without one",
            AssistantQualificationRecorded(
                assistantID: assistant, providerID: provider, kind: .assistantCourse, obtainedOn: day("2027-01-15"), validUntil: nil)
        ),
        (
            "order",
            OrderPlaced(
                orderID: order, participantID: participant, grantID: grant, editionID: edition, start: start, end: end, activity: .culture,
                requiredSkills: [.signLanguage])
        ),
        (
            "assignment",
            OrderAssigned(
                orderID: order, participantID: participant, editionID: edition, providerID: provider, assistantID: assistant, start: start, end: end)
        ),
        (
            "cancellation",
            OrderCancelled(
                orderID: order, participantID: participant, editionID: edition, cancelledAt: instant("2022-06-06T16:45:00.250Z"),
                cancelledBy: .coordinator)
        ),
        (
            "rating",
            ServiceRated(
                ratingID: .random(), orderID: order, participantID: participant, editionID: edition, providerID: provider, ratedOn: day("2022-06-08"),
                scores: [.init(question: "punctuality", score: 1), .init(question: "helpfulness", score: 5)])
        ),
        (
            "bare entry",
            TimesheetEntrySubmitted(
                providerID: provider, entryID: "1", sequence: 1, assistantID: assistant, orderID: order, participantID: participant, start: start,
                end: end, activity: .selfCare)
        ),
        (
            "entry with note, reason and expenses",
            TimesheetEntrySubmitted(
                providerID: provider, entryID: String(repeating: "x", count: 64), sequence: 2, action: .submit, assistantID: assistant,
                orderID: order, participantID: participant, start: start, end: start.addingTimeInterval(24 * 3600), activity: .sport,
                note: "Mecz na Tarczyński Arena", reason: "Korekta godziny zakończenia", expenses: expenses)
        ),
        (
            "void",
            TimesheetEntrySubmitted(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 3, action: .void, assistantID: assistant, orderID: order,
                participantID: participant, start: start, end: end, activity: .healthcare, reason: "Wpis zdublowany")
        ),
        (
            "accounted with expenses",
            HoursAccounted(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 1, participantID: participant, assistantID: assistant, orderID: order,
                editionID: edition, start: start, end: end, month: YearMonth("2022-06")!, minutes: 210, expenses: expenses, remainingMinutes: 27150)
        ),
        (
            "accounted without expenses",
            HoursAccounted(
                providerID: provider, entryID: "KRU/2022/06/0148", sequence: 1, participantID: participant, assistantID: assistant, orderID: order,
                editionID: edition, start: start, end: end, month: YearMonth("2022-06")!, minutes: 210, expenses: nil, remainingMinutes: 0)
        ),
        (
            "rejected entry",
            TimesheetEntryRejected(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 1, code: .allowanceExceeded,
                message: "The participant has 30 minutes of the allowance left.")
        ),
        (
            "correction with everything",
            TimesheetEntryCorrected(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 2, supersededSequence: 1, participantID: participant,
                assistantID: assistant, orderID: order, editionID: edition, start: start, end: end, month: YearMonth("2022-06")!,
                previousMonth: YearMonth("2022-05")!, minutes: 210, previousMinutes: 240, expenses: expenses, previousExpenses: Expenses(),
                reason: "Zamknięty miesiąc: korekta", remainingMinutes: 100)
        ),
        (
            "correction with nothing optional",
            TimesheetEntryCorrected(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 3, supersededSequence: 2, participantID: participant,
                assistantID: assistant, orderID: order, editionID: edition, start: start, end: end, month: YearMonth("2022-06")!,
                previousMonth: YearMonth("2022-06")!, minutes: 200, previousMinutes: 210, expenses: nil, previousExpenses: nil, reason: nil,
                remainingMinutes: 110)
        ),
        (
            "void with expenses",
            TimesheetEntryVoided(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 4, participantID: participant, assistantID: assistant, orderID: order,
                editionID: edition, month: YearMonth("2022-06")!, minutes: 200, expenses: expenses, reason: "Wpis zdublowany", remainingMinutes: 310)
        ),
        (
            "void without expenses",
            TimesheetEntryVoided(
                providerID: provider, entryID: "KRU/2022/06/0149", sequence: 1, participantID: participant, assistantID: assistant, orderID: order,
                editionID: edition, month: YearMonth("2022-06")!, minutes: 200, expenses: nil, reason: "Usługa się nie odbyła", remainingMinutes: 510)
        ),
        (
            "month confirmed",
            MonthConfirmed(
                providerID: provider, participantID: participant, editionID: edition, month: YearMonth("2022-06")!, visits: 9, minutes: 1620)
        ),
        (
            "visit contested",
            VisitContested(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 2, participantID: participant, assistantID: assistant,
                editionID: edition,
                month: YearMonth("2022-06")!, minutes: 180, reason: .shorter, comment: "Pani przyszła o 11:00, nie o 10:00.")
        ),
        (
            "visit contested without a comment",
            VisitContested(
                providerID: provider, entryID: "KRU/2022/06/0148", sequence: 1, participantID: participant, assistantID: assistant,
                editionID: edition,
                month: YearMonth("2022-06")!, minutes: 120, reason: .absent, comment: nil)
        ),
        (
            "contest settled",
            ContestSettled(
                providerID: provider, entryID: "KRU/2022/06/0147", sequence: 2, participantID: participant, editionID: edition,
                month: YearMonth("2022-06")!, minutes: 180, outcome: .voided)
        ),
        ("month closed", MonthClosed(editionID: edition, month: YearMonth("2022-06")!, closedAt: instant("2022-07-05T14:00:00+02:00"))),
    ]

    /// The envelope a producer of `event` writes: NGOs as `/providers/<id>`,
    /// services as `/asysta/<context>`; every other sample carries a correlation.
    static func envelope<Payload: DomainEvent>(_ event: Payload, index: Int) -> EventEnvelope<Payload> {
        let source =
            if let entry = event as? TimesheetEntrySubmitted {
                "/providers/\(entry.providerID)"
            } else {
                "/asysta/\(Payload.eventType.context)"
            }
        let correlated = index % 2 == 0
        return EventEnvelope(
            source: source, time: instant("2022-06-07T17:04:53Z").addingTimeInterval(Double(index) * 0.5),
            correlationID: correlated ? UUID().uuidString.lowercased() : nil,
            causationID: correlated ? UUID().uuidString.lowercased() : nil, data: event)
    }

    static func encode<Payload: DomainEvent>(_ event: Payload, index: Int) throws -> [UInt8] {
        try EventCodec.encode(envelope(event, index: index))
    }
}
