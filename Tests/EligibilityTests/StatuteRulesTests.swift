import Domain
import Foundation
import Testing

@testable import Eligibility

/// The statutory scheme as operators keep it (deploy/editions/ustawa-2027.json): who
/// qualifies, each refusal's own code, the monthly budget's bounds and the decision's
/// length; and the 2026 programme edition beside it for the same person.
@Suite struct StatuteRulesTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func edition(_ file: String) -> EditionRules {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../deploy/editions/\(file).json")
        return try! JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: url))
    }
    static let statute = edition("ustawa-2027")
    static let programme2026 = edition("2026")

    /// An adult born 1975-06-15, significant degree, permanent certificate, 86 points, every document.
    static func person(
        birth: String = "1975-06-15", kind: CertificateKind = .degree, degree: DisabilityDegree? = .significant, score: Int? = 86,
        hoursPerMonth: Int = 120, both indications: Bool = false, validUntil: String? = nil, edition: String = "ustawa-2027"
    ) -> ApplicationFacts {
        ApplicationFacts(
            applicationID: ApplicationID("a1"), participantID: ParticipantID("p1"), editionID: EditionID(edition),
            age: AgeFact(birthDate: date(birth), on: date("2026-02-01")),
            certificate: CertificateFacts(
                kind: kind, degree: degree, indications: Indications(constantCare: indications, carerParticipation: indications),
                multipleDisabilities: false, issuedOn: date("2020-01-01"), validUntil: validUntil.map(date)),
            residesInProgrammeArea: true, legallyIncapacitated: false,
            documents: Set(DocumentKind.alwaysRequired + (score == nil ? [] : [.supportNeedsAssessment])),
            declaredNeeds: DeclaredNeeds(activities: [.selfCare], hoursPerMonth: hoursPerMonth),
            supportNeeds: score.map { SupportNeedsAssessment(score: $0, assessedOn: date("2026-11-20"), issuedBy: "MZON Wrocław") })
    }

    // MARK: - Refusals with their own codes

    struct Refusal: Sendable, CustomTestStringConvertible {
        var label: String
        var facts: ApplicationFacts
        var reasons: [RejectionReason]
        var testDescription: String { label }
    }

    @Test(arguments: [
        Refusal(label: "79 points: below the threshold of 80", facts: person(score: 79), reasons: [.supportScoreTooLow]),
        Refusal(
            label: "12 on the first day: younger than 13", facts: person(birth: "2014-04-02", kind: .childDisability, degree: nil, both: true),
            reasons: [.outsideAgeBand]),
        Refusal(label: "66 on the first day: past 65", facts: person(birth: "1961-04-01"), reasons: [.outsideAgeBand]),
        Refusal(label: "an adult with a mild degree", facts: person(degree: .mild), reasons: [.degreeNotAccepted]),
        Refusal(
            label: "15 with a child's certificate without point 8",
            facts: person(birth: "2012-01-01", kind: .childDisability, degree: nil, score: nil, both: false),
            reasons: [.childWithoutBothIndications]),
        Refusal(
            label: "17 with a moderate degree: youth need a significant one",
            facts: person(birth: "2010-01-01", degree: .moderate, score: nil), reasons: [.degreeNotAccepted]),
        Refusal(label: "the certificate ends before the scheme starts", facts: person(validUntil: "2027-03-31"), reasons: [.certificateExpired]),
    ])
    func refusal(_ c: Refusal) {
        let verdict = EligibilityRules.decide(c.facts, edition: Self.statute, on: Self.date("2027-03-15"))
        #expect(verdict.outcome == .rejected)
        #expect(verdict.reasons == c.reasons)
    }

    @Test func eightyPointsOnTheDotQualify() {
        #expect(EligibilityRules.decide(Self.person(score: 80), edition: Self.statute, on: Self.date("2027-03-15")).outcome == .granted)
    }

    @Test func anAdultWaitsForTheAssessmentItsScoreAndItsScan() {
        let withoutScore = EligibilityRules.decide(Self.person(score: nil), edition: Self.statute, on: Self.date("2027-03-15"))
        #expect(withoutScore.outcome == .waitingForDocuments)
        #expect(withoutScore.missingDocuments == [.supportNeedsAssessment])
        // The score given, its scan still to come.
        var withoutScan = Self.person(score: 90)
        withoutScan.documents.remove(.supportNeedsAssessment)
        #expect(
            EligibilityRules.decide(withoutScan, edition: Self.statute, on: Self.date("2027-03-15")).missingDocuments == [.supportNeedsAssessment])
        // A scan without its score counts for nothing: the score is what the rule reads.
        var scanOnly = Self.person(score: nil)
        scanOnly.documents.insert(.supportNeedsAssessment)
        #expect(EligibilityRules.decide(scanOnly, edition: Self.statute, on: Self.date("2027-03-15")).missingDocuments == [.supportNeedsAssessment])
    }

    // MARK: - The monthly budget

    struct Budget: Sendable, CustomTestStringConvertible {
        var label: String
        var facts: ApplicationFacts
        var decidedOn: String
        var hoursPerMonth: Int
        var period: DateRange
        var testDescription: String { label }
    }

    @Test(arguments: [
        Budget(
            label: "declared 120 h: granted 120 h for five years", facts: person(hoursPerMonth: 120), decidedOn: "2027-03-15",
            hoursPerMonth: 120, period: DateRange(start: date("2027-04-01"), end: date("2032-03-31"))),
        Budget(
            label: "declared 300 h in 2027: the adults' maximum is 200", facts: person(hoursPerMonth: 300), decidedOn: "2027-05-10",
            hoursPerMonth: 200, period: DateRange(start: date("2027-05-10"), end: date("2032-03-31"))),
        Budget(
            label: "declared 300 h in 2028: 220", facts: person(hoursPerMonth: 300), decidedOn: "2028-02-01",
            hoursPerMonth: 220, period: DateRange(start: date("2028-02-01"), end: date("2032-03-31"))),
        Budget(
            label: "declared 10 h: the minimum is 20", facts: person(hoursPerMonth: 10), decidedOn: "2027-03-15",
            hoursPerMonth: 20, period: DateRange(start: date("2027-04-01"), end: date("2032-03-31"))),
        Budget(
            label: "a 14-year-old declaring 120 h: youth get at most 80, until the day before turning 18",
            facts: person(birth: "2013-01-20", kind: .childDisability, degree: nil, score: nil, hoursPerMonth: 120, both: true),
            decidedOn: "2027-03-15", hoursPerMonth: 80, period: DateRange(start: date("2027-04-01"), end: date("2031-01-19"))),
        Budget(
            label: "turning 66 in 2029: the decision ends the day before", facts: person(birth: "1963-08-05"), decidedOn: "2027-03-15",
            hoursPerMonth: 120, period: DateRange(start: date("2027-04-01"), end: date("2029-08-04"))),
        Budget(
            label: "a certificate valid until June 2028 ends the decision then", facts: person(validUntil: "2028-06-30"),
            decidedOn: "2027-03-15", hoursPerMonth: 120, period: DateRange(start: date("2027-04-01"), end: date("2028-06-30"))),
    ])
    func budget(_ c: Budget) throws {
        let verdict = EligibilityRules.decide(c.facts, edition: Self.statute, on: Self.date(c.decidedOn))
        #expect(verdict.outcome == .granted, "\(verdict.reasons) \(verdict.missingDocuments)")
        #expect(verdict.monthlyBudget?.hoursPerMonth == c.hoursPerMonth)
        #expect(verdict.monthlyBudget?.carryOver == true)
        #expect(verdict.period == c.period)
        #expect(verdict.hours == c.hoursPerMonth * EligibilityRules.months(in: c.period))
    }

    @Test func theDecisionSaysHowItsFigureWasReached() throws {
        let verdict = EligibilityRules.decide(Self.person(hoursPerMonth: 300), edition: Self.statute, on: Self.date("2027-04-01"))
        let explanation = try #require(verdict.monthlyBudget?.explanation)
        #expect(explanation.contains("zadeklarowana potrzeba 300 h miesięcznie"))
        #expect(explanation.contains("od 20 do 200 h (dorosły)"))
        #expect(explanation.contains("przyznano 200 h miesięcznie przez 60 mies."))
    }

    // MARK: - Both at once

    /// One person, 51 in 2026 with a moderate degree and 86 points: the programme's 2026
    /// edition grants annual hours pro-rated to the months left; the statute, from
    /// 1 April 2027, a monthly budget. Each side of the date has its own rules.
    @Test func theSamePersonUnderTheProgrammeIn2026AndTheStatuteFromApril2027() {
        var programme = Self.person(degree: .moderate, hoursPerMonth: 40, edition: "2026")
        programme.supportNeeds = nil
        let in2026 = EligibilityRules.decide(programme, edition: Self.programme2026, on: Self.date("2026-09-01"))
        // 360 h a year × 4/12 = 120 h, below the declared 40 × 4 = 160 h.
        #expect(in2026.outcome == .granted)
        #expect(in2026.hours == 120)
        #expect(in2026.monthlyBudget == nil)
        #expect(in2026.hoursBasis?.boundBy == .annualCap)
        #expect(in2026.period == DateRange(start: Self.date("2026-09-01"), end: Self.date("2026-12-31")))

        let statutory = Self.person(degree: .moderate, hoursPerMonth: 40)
        // Decided before the scheme starts: the grant starts with it.
        let from2027 = EligibilityRules.decide(statutory, edition: Self.statute, on: Self.date("2026-12-04"))
        #expect(from2027.outcome == .granted)
        #expect(from2027.monthlyBudget?.hoursPerMonth == 40)
        #expect(from2027.period == DateRange(start: Self.date("2027-04-01"), end: Self.date("2032-03-31")))
        #expect(from2027.hoursBasis == nil)

        // The programme would refuse a mild degree; so does the statute, for its own reason below 80 points.
        var weaker = statutory
        weaker.supportNeeds?.score = 70
        #expect(EligibilityRules.decide(weaker, edition: Self.statute, on: Self.date("2026-12-04")).reasons == [.supportScoreTooLow])
        #expect(EligibilityRules.decide(programme, edition: Self.programme2026, on: Self.date("2026-09-01")).reasons.isEmpty)
    }
}
