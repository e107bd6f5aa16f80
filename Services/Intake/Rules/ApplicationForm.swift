import Domain

// The body of `POST /applications` as a client sends it. Optional fields are
// optional here so that validation can name every missing one at once.

struct ApplicationForm: Codable, Sendable {
    var edition: String
    var person: PersonForm
    var legallyIncapacitated: Bool?
    var guardian: GuardianForm?
    var certificate: CertificateForm
    var declaredNeeds: DeclaredNeeds
    /// The support-needs score a statutory scheme asks of adults, from its assessment.
    var supportNeeds: SupportNeedsAssessment?
    var documents: [DocumentForm]?
}

struct PersonForm: Codable, Sendable, Hashable {
    var firstName: String
    var lastName: String
    var pesel: String
    var birthDate: CalendarDate
    var address: AddressForm
    var contact: ContactForm
}

struct AddressForm: Codable, Sendable, Hashable {
    var street: String
    var postalCode: String
    var city: String
}

struct ContactForm: Codable, Sendable, Hashable {
    var phone: String?
    var email: String?
}

struct GuardianForm: Codable, Sendable, Hashable {
    var firstName: String
    var lastName: String
    var contact: ContactForm
}

struct CertificateForm: Codable, Sendable {
    var kind: CertificateKind
    var degree: DisabilityDegree?
    var indications: Indications?
    var multipleDisabilities: Bool?
    var issuedOn: CalendarDate
    var validUntil: CalendarDate?
    var permanent: Bool?
}

/// A document: its bytes (base64, with a file name) or a reference to where it is kept.
struct DocumentForm: Codable, Sendable {
    var kind: DocumentKind
    var fileName: String?
    var contentBase64: String?
    var reference: String?
}
