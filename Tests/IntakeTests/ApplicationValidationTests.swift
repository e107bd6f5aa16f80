import Domain
import Foundation
import Testing

@testable import Intake

/// Every validation rule of the application form, one field problem each.
@Suite struct ApplicationValidationTests {
    let validation = ApplicationValidation(area: .wroclaw, documentLimit: 1024)
    let today = CalendarDate("2023-03-01")!

    func problems(_ change: (inout ApplicationForm) -> Void) -> [FieldProblem] {
        var form = Fixtures.form()
        change(&form)
        switch validation.validate(form, today: today) {
        case .success: return []
        case let .failure(error): return error.problems
        }
    }

    @Test func aValidFormPassesWithItsFacts() throws {
        let valid = try validation.validate(Fixtures.form(), today: today).get()
        #expect(valid.age == AgeFact(birthDate: Fixtures.birthDate, on: today))
        #expect(valid.certificate.kind == .degree && valid.certificate.validUntil == nil)
        #expect(valid.residesInProgrammeArea)
        #expect(valid.documents.map(\.kind) == [.certificateCopy, .applicationForm])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var field: String
        var change: @Sendable (inout ApplicationForm) -> Void
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "PESEL too short", field: "person.pesel") { $0.person.pesel = "8006151234" },
        Case(label: "PESEL with letters", field: "person.pesel") { $0.person.pesel = "8006151234a" },
        Case(label: "PESEL with a wrong check digit", field: "person.pesel") { form in
            let p = form.person.pesel
            form.person.pesel = String(p.dropLast()) + String((p.last!.wholeNumberValue! + 1) % 10)
        },
        Case(label: "PESEL encoding 31 February", field: "person.pesel") { form in
            // 800231 with a recomputed check digit: a checksum-valid impossible date.
            let body = "8002311234"
            let sum = zip(body.compactMap(\.wholeNumberValue), [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]).reduce(0) { $0 + $1.0 * $1.1 }
            form.person.pesel = body + String((10 - sum % 10) % 10)
        },
        Case(label: "date of birth not the PESEL's", field: "person.birthDate") { $0.person.birthDate = CalendarDate("1980-06-16")! },
        Case(label: "date of birth in the future", field: "person.birthDate") { $0.person.birthDate = CalendarDate("2023-03-02")! },
        Case(label: "empty first name", field: "person.firstName") { $0.person.firstName = "  " },
        Case(label: "empty last name", field: "person.lastName") { $0.person.lastName = "" },
        Case(label: "city outside the programme's area", field: "person.address.city") { $0.person.address.city = "Kraków" },
        Case(label: "malformed postcode", field: "person.address.postalCode") { $0.person.address.postalCode = "50066" },
        Case(label: "postcode outside Wrocław", field: "person.address.postalCode") { $0.person.address.postalCode = "30-001" },
        Case(label: "empty street", field: "person.address.street") { $0.person.address.street = "" },
        Case(label: "no phone and no email", field: "person.contact") { $0.person.contact = ContactForm(phone: nil, email: nil) },
        Case(label: "bad email", field: "person.contact.email") { $0.person.contact.email = "anna.example.org" },
        Case(label: "bad phone", field: "person.contact.phone") { $0.person.contact.phone = "12-34" },
        Case(label: "incapacitated without a guardian", field: "guardian") { form in
            form.legallyIncapacitated = true
            form.documents! += Fixtures.guardianshipDocuments()
        },
        Case(label: "incapacitated without the court ruling", field: "documents") { form in
            form.legallyIncapacitated = true
            form.guardian = Fixtures.guardian
            form.documents! += [Fixtures.guardianshipDocuments()[1]]
        },
        Case(label: "incapacitated without the proof of guardianship", field: "documents") { form in
            form.legallyIncapacitated = true
            form.guardian = Fixtures.guardian
            form.documents! += [Fixtures.guardianshipDocuments()[0]]
        },
        Case(label: "certificate issued in the future", field: "certificate.issuedOn") { $0.certificate.issuedOn = CalendarDate("2023-03-02")! },
        Case(label: "certificate issued before birth", field: "certificate.issuedOn") { $0.certificate.issuedOn = CalendarDate("1980-06-14")! },
        Case(label: "valid until before issued", field: "certificate.validUntil") { form in
            form.certificate.permanent = nil
            form.certificate.validUntil = CalendarDate("2020-01-09")!
        },
        Case(label: "neither valid until nor permanent", field: "certificate.validUntil") { $0.certificate.permanent = nil },
        Case(label: "both valid until and permanent", field: "certificate.permanent") { $0.certificate.validUntil = CalendarDate("2025-01-01")! },
        Case(label: "degree certificate without a degree", field: "certificate.degree") { $0.certificate.degree = nil },
        Case(label: "equivalent certificate without a degree", field: "certificate.degree") { form in
            form.certificate.kind = .equivalent
            form.certificate.degree = nil
        },
        Case(label: "child's certificate with a degree", field: "certificate.degree") { $0.certificate.kind = .childDisability },
        Case(label: "no activity", field: "declaredNeeds.activities") { $0.declaredNeeds.activities = [] },
        Case(label: "zero hours", field: "declaredNeeds.hoursPerMonth") { $0.declaredNeeds.hoursPerMonth = 0 },
        Case(label: "more hours than a month has", field: "declaredNeeds.hoursPerMonth") { $0.declaredNeeds.hoursPerMonth = 745 },
        Case(label: "bad edition id", field: "edition") { $0.edition = "2023 edition" },
        Case(label: "document with neither bytes nor reference", field: "documents[0]") { $0.documents![0].contentBase64 = nil },
        Case(label: "document with both bytes and reference", field: "documents[0]") { $0.documents![0].reference = "x" },
        Case(label: "document bytes without a file name", field: "documents[0].fileName") { $0.documents![0].fileName = nil },
        Case(label: "document bytes not base64", field: "documents[0].contentBase64") { $0.documents![0].contentBase64 = "not base64!" },
        Case(label: "document over the size limit", field: "documents[0].contentBase64") { form in
            form.documents![0].contentBase64 = Data(repeating: 7, count: 1025).base64EncodedString()
        },
        Case(label: "empty reference", field: "documents[1].reference") { $0.documents![1].reference = " " },
        Case(label: "a support-needs score over 100", field: "supportNeeds.score") { $0.supportNeeds = assessment(score: 101) },
        Case(label: "a support-needs assessment dated tomorrow", field: "supportNeeds.assessedOn") { form in
            form.supportNeeds = assessment(on: "2023-03-02")
        },
        Case(label: "a support-needs assessment by nobody", field: "supportNeeds.issuedBy") { $0.supportNeeds = assessment(by: " ") },
        Case(label: "the assessment's scan without its score", field: "supportNeeds") { form in
            form.documents! += [DocumentForm(kind: .supportNeedsAssessment, fileName: nil, contentBase64: nil, reference: "MZON 2023/77")]
        },
    ]

    static func assessment(score: Int = 86, on day: String = "2023-02-20", by body: String = "MZON Wrocław") -> SupportNeedsAssessment {
        SupportNeedsAssessment(score: score, assessedOn: CalendarDate(day)!, issuedBy: body)
    }

    @Test func aSupportNeedsScorePassesWithOrBeforeItsScan() throws {
        var form = Fixtures.form()
        form.supportNeeds = Self.assessment(by: " MZON Wrocław ")
        #expect(try validation.validate(form, today: today).get().supportNeeds == Self.assessment())
        form.documents! += [DocumentForm(kind: .supportNeedsAssessment, fileName: nil, contentBase64: nil, reference: "MZON 2023/77")]
        #expect(try validation.validate(form, today: today).get().documents.map(\.kind).last == .supportNeedsAssessment)
    }

    @Test(arguments: cases)
    func eachRuleNamesItsField(_ c: Case) {
        let found = problems(c.change)
        #expect(found.map(\.field) == [c.field], "\(found)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = problems { form in
            form.person.pesel = "123"
            form.person.address.city = "Poznań"
            form.declaredNeeds.hoursPerMonth = 0
        }
        #expect(Set(found.map(\.field)) == ["person.pesel", "person.address.city", "declaredNeeds.hoursPerMonth"])
    }

    @Test func anIncapacitatedPersonWithAGuardianAndBothDocumentsPasses() throws {
        var form = Fixtures.form()
        form.legallyIncapacitated = true
        form.guardian = Fixtures.guardian
        form.documents! += Fixtures.guardianshipDocuments()
        let valid = try validation.validate(form, today: today).get()
        #expect(valid.legallyIncapacitated)
    }

    @Test func aDocumentAtTheSizeLimitPasses() {
        var form = Fixtures.form()
        form.documents![0].contentBase64 = Data(repeating: 7, count: 1024).base64EncodedString()
        #expect((try? validation.validate(form, today: today).get()) != nil)
    }

    @Test(arguments: ["Wrocław", "wroclaw", "  WROCŁAW ", "Wroclaw"])
    func theCityIsComparedNormalised(_ city: String) {
        #expect(ProgrammeArea.wroclaw.containsCity(city))
    }

    @Test func theAreaIsConfigurable() {
        let krakow = ApplicationValidation(area: ProgrammeArea(city: "Kraków", postcodePrefixes: ["30", "31"]), documentLimit: 1024)
        var form = Fixtures.form()
        form.person.address = AddressForm(street: "Rynek 1", postalCode: "31-001", city: "Krakow")
        #expect((try? krakow.validate(form, today: today).get()) != nil)
    }

    @Test(arguments: ["1999-12-31", "2000-01-01", "2008-02-29"])
    func theFixturePeselMatchesItsDate(_ text: String) throws {
        let date = CalendarDate(text)!
        #expect(try Pesel(Fixtures.pesel(born: date)).birthDate == date)
    }
}
