import Domain
import Foundation
import TestSupport

@testable import Intake

/// Valid application forms and PESELs for tests.
enum Fixtures {
    /// A PESEL with a correct check digit for this date of birth.
    static func pesel(born date: CalendarDate, serial: Int = 1234) -> String {
        TestPesel.valid(born: date, serial: serial)
    }

    static let birthDate = CalendarDate("1980-06-15")!

    /// An adult with a significant-degree permanent certificate, living in Wrocław, with both always-required documents.
    static func form(edition: String = "2023", serial: Int = 1234, birthDate: CalendarDate = birthDate) -> ApplicationForm {
        ApplicationForm(
            edition: edition,
            person: PersonForm(
                firstName: "Anna", lastName: "Nowak-Testowa", pesel: pesel(born: birthDate, serial: serial), birthDate: birthDate,
                address: AddressForm(street: "ul. Świdnicka 1", postalCode: "50-066", city: "Wrocław"),
                contact: ContactForm(phone: "+48 600 100 200", email: "anna@example.org")
            ),
            legallyIncapacitated: false,
            guardian: nil,
            certificate: CertificateForm(
                kind: .degree, degree: .significant, indications: nil, multipleDisabilities: false,
                issuedOn: CalendarDate("2020-01-10")!, validUntil: nil, permanent: true),
            declaredNeeds: DeclaredNeeds(activities: [.selfCare, .mobility], hoursPerMonth: 40),
            documents: [
                DocumentForm(
                    kind: .certificateCopy, fileName: "orzeczenie.pdf", contentBase64: Data("%PDF-1.4 certificate".utf8).base64EncodedString(),
                    reference: nil),
                DocumentForm(kind: .applicationForm, fileName: nil, contentBase64: nil, reference: "ePUAP/2023/000123"),
            ]
        )
    }

    static let guardian = GuardianForm(firstName: "Jan", lastName: "Opiekun", contact: ContactForm(phone: nil, email: "jan@example.org"))

    static func guardianshipDocuments() -> [DocumentForm] {
        [
            DocumentForm(kind: .courtRuling, fileName: nil, contentBase64: nil, reference: "SO Wrocław I Ns 12/20"),
            DocumentForm(kind: .guardianshipProof, fileName: nil, contentBase64: nil, reference: "akt 34/20"),
        ]
    }
}
