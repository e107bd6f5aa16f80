import Domain
import FoundationEssentials

/// One thing wrong with one field of a request, as the client should fix it.
struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
    var field: String
    var message: String
    init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    var description: String { "\(field): \(message)" }
}

/// Everything wrong with a form.
struct FormProblems: Error, Hashable, Sendable {
    var problems: [FieldProblem]
}

/// A document that passed validation, its bytes decoded.
enum DocumentContent: Hashable, Sendable {
    case file(name: String, bytes: [UInt8])
    case reference(String)
}

struct ValidDocument: Hashable, Sendable {
    var kind: DocumentKind
    var content: DocumentContent
}

/// The personal part of an application: stored encrypted, never published or logged.
struct PersonalData: Codable, Hashable, Sendable {
    var person: PersonForm
    var guardian: GuardianForm?
}

/// An application that passed every check, split into what stays sealed in
/// intake and the facts eligibility will be told.
struct ValidApplication: Sendable {
    var edition: EditionID
    var pesel: Pesel
    var personal: PersonalData
    var age: AgeFact
    var certificate: CertificateFacts
    var residesInProgrammeArea: Bool
    var legallyIncapacitated: Bool
    var declaredNeeds: DeclaredNeeds
    var supportNeeds: SupportNeedsAssessment?
    var documents: [ValidDocument]
}

/// The checks of an application form. Pure: every problem is collected, so a
/// client learns everything to fix from one answer.
struct ApplicationValidation: Sendable {
    var area: ProgrammeArea
    /// The most bytes one document may have once decoded.
    var documentLimit: Int

    func validate(_ form: ApplicationForm, today: CalendarDate) -> Result<ValidApplication, FormProblems> {
        var problems: [FieldProblem] = []
        if !Self.isEditionID(form.edition) { problems.append(.init("edition", "must be an edition id such as \"2023\"")) }
        let pesel = checkPerson(form.person, today: today, into: &problems)
        let incapacitated = form.legallyIncapacitated ?? false
        Self.checkGuardian(form.guardian, incapacitated: incapacitated, into: &problems)
        Self.checkCertificate(form.certificate, birthDate: form.person.birthDate, today: today, into: &problems)
        Self.checkNeeds(form.declaredNeeds, into: &problems)
        Self.checkSupportNeeds(form.supportNeeds, documents: form.documents ?? [], today: today, into: &problems)
        let documents = checkDocuments(form.documents ?? [], incapacitated: incapacitated, into: &problems)

        guard problems.isEmpty, let pesel else { return .failure(FormProblems(problems: problems)) }
        let certificate = form.certificate
        return .success(
            ValidApplication(
                edition: EditionID(form.edition),
                pesel: pesel,
                personal: PersonalData(person: form.person, guardian: form.guardian),
                age: AgeFact(birthDate: pesel.birthDate, on: today),
                certificate: CertificateFacts(
                    kind: certificate.kind, degree: certificate.degree,
                    indications: certificate.indications ?? Indications(constantCare: false, carerParticipation: false),
                    multipleDisabilities: certificate.multipleDisabilities ?? false,
                    issuedOn: certificate.issuedOn, validUntil: certificate.validUntil
                ),
                residesInProgrammeArea: true,  // checked above: an address outside the area is refused
                legallyIncapacitated: incapacitated,
                declaredNeeds: DeclaredNeeds(
                    activities: Array(Set(form.declaredNeeds.activities)).sorted { $0.rawValue < $1.rawValue },
                    hoursPerMonth: form.declaredNeeds.hoursPerMonth),
                supportNeeds: form.supportNeeds.map {
                    SupportNeedsAssessment(score: $0.score, assessedOn: $0.assessedOn, issuedBy: $0.issuedBy.trimmed)
                },
                documents: documents
            ))
    }

    // MARK: - Sections of the form

    /// The person's PESEL when it reads; the birth date must agree with it.
    private func checkPerson(_ person: PersonForm, today: CalendarDate, into problems: inout [FieldProblem]) -> Pesel? {
        Self.checkName(person.firstName, "person.firstName", into: &problems)
        Self.checkName(person.lastName, "person.lastName", into: &problems)
        var pesel: Pesel?
        do {
            pesel = try Pesel(person.pesel.trimmed)
        } catch {
            problems.append(.init("person.pesel", error.description))
        }
        if person.birthDate > today {
            problems.append(.init("person.birthDate", "must not be in the future"))
        } else if let pesel, pesel.birthDate != person.birthDate {
            problems.append(.init("person.birthDate", "does not match the date of birth in the PESEL"))
        }
        checkAddress(person.address, into: &problems)
        Self.checkContact(person.contact, "person.contact", into: &problems)
        return pesel
    }

    private static func checkGuardian(_ guardian: GuardianForm?, incapacitated: Bool, into problems: inout [FieldProblem]) {
        if let guardian {
            checkName(guardian.firstName, "guardian.firstName", into: &problems)
            checkName(guardian.lastName, "guardian.lastName", into: &problems)
            checkContact(guardian.contact, "guardian.contact", into: &problems)
        } else if incapacitated {
            problems.append(.init("guardian", "is required when the person is legally incapacitated"))
        }
    }

    private static func checkCertificate(
        _ certificate: CertificateForm, birthDate: CalendarDate, today: CalendarDate, into problems: inout [FieldProblem]
    ) {
        if certificate.issuedOn > today {
            problems.append(.init("certificate.issuedOn", "must not be in the future"))
        } else if birthDate <= today, certificate.issuedOn < birthDate {
            problems.append(.init("certificate.issuedOn", "must not be before the date of birth"))
        }
        switch (certificate.validUntil, certificate.permanent ?? false) {
        case (nil, false): problems.append(.init("certificate.validUntil", "is required unless the certificate is permanent"))
        case (.some, true): problems.append(.init("certificate.permanent", "cannot be true when validUntil is given"))
        case let (validUntil?, false) where validUntil < certificate.issuedOn:
            problems.append(.init("certificate.validUntil", "must not be before issuedOn"))
        default: break
        }
        switch (certificate.kind, certificate.degree) {
        case (.childDisability, .some): problems.append(.init("certificate.degree", "a child's disability certificate has no degree"))
        case (.degree, nil), (.equivalent, nil):
            problems.append(.init("certificate.degree", "is required for a \(certificate.kind.rawValue) certificate"))
        default: break
        }
    }

    private static func checkNeeds(_ needs: DeclaredNeeds, into problems: inout [FieldProblem]) {
        if needs.activities.isEmpty { problems.append(.init("declaredNeeds.activities", "must name at least one activity")) }
        if !(1...744).contains(needs.hoursPerMonth) { problems.append(.init("declaredNeeds.hoursPerMonth", "must be between 1 and 744")) }
    }

    /// A score is a fact eligibility decides on, so it comes from an assessment: 0–100
    /// points, not assessed in the future, by a named body. The assessment's scan may
    /// follow (`DocumentsAdded`); a scan without its score may not, as nothing would
    /// bring the score later.
    private static func checkSupportNeeds(
        _ needs: SupportNeedsAssessment?, documents: [DocumentForm], today: CalendarDate, into problems: inout [FieldProblem]
    ) {
        guard let needs else {
            if documents.contains(where: { $0.kind == .supportNeedsAssessment }) {
                problems.append(.init("supportNeeds", "is required with a support-needs-assessment document: give the score it states"))
            }
            return
        }
        if !(0...100).contains(needs.score) { problems.append(.init("supportNeeds.score", "must be between 0 and 100 points")) }
        if needs.assessedOn > today { problems.append(.init("supportNeeds.assessedOn", "must not be in the future")) }
        checkName(needs.issuedBy, "supportNeeds.issuedBy", into: &problems)
    }

    /// The valid documents; an incapacitated person's application must carry the guardianship papers.
    private func checkDocuments(_ forms: [DocumentForm], incapacitated: Bool, into problems: inout [FieldProblem]) -> [ValidDocument] {
        var documents: [ValidDocument] = []
        for (index, document) in forms.enumerated() {
            switch validate(document, field: "documents[\(index)]") {
            case let .success(valid): documents.append(valid)
            case let .failure(problem): problems.append(problem)
            }
        }
        if incapacitated {
            let missing = DocumentKind.guardianship.filter { kind in !forms.contains { $0.kind == kind } }
            if !missing.isEmpty {
                problems.append(
                    .init("documents", "an incapacitated person's application needs \(missing.map(\.rawValue).joined(separator: " and "))"))
            }
        }
        return documents
    }

    /// A document is either a file (name and base64 bytes within the limit) or a reference.
    /// `field` is the document's path in the body ("documents[0]"), empty when it is the whole body.
    func validate(_ document: DocumentForm, field: String) -> Result<ValidDocument, FieldProblem> {
        let prefix = field.isEmpty ? "" : field + "."
        switch (document.contentBase64, document.reference) {
        case (nil, nil), (.some, .some):
            return .failure(.init(field.isEmpty ? "contentBase64" : field, "give either contentBase64 (with fileName) or reference"))
        case let (nil, reference?):
            let trimmed = reference.trimmed
            guard !trimmed.isEmpty, trimmed.count <= 500 else { return .failure(.init(prefix + "reference", "must have 1 to 500 characters")) }
            return .success(ValidDocument(kind: document.kind, content: .reference(trimmed)))
        case let (content?, nil):
            guard let name = document.fileName?.trimmed, !name.isEmpty, name.count <= 255 else {
                return .failure(.init(prefix + "fileName", "is required with contentBase64 (1 to 255 characters)"))
            }
            guard let bytes = Data(base64Encoded: content) else { return .failure(.init(prefix + "contentBase64", "is not valid base64")) }
            guard !bytes.isEmpty else { return .failure(.init(prefix + "contentBase64", "is empty")) }
            guard bytes.count <= documentLimit else {
                return .failure(.init(prefix + "contentBase64", "has \(bytes.count) bytes; at most \(documentLimit) are accepted"))
            }
            return .success(ValidDocument(kind: document.kind, content: .file(name: name, bytes: Array(bytes))))
        }
    }

    // MARK: - Single fields

    private func checkAddress(_ address: AddressForm, into problems: inout [FieldProblem]) {
        if address.street.trimmed.isEmpty { problems.append(.init("person.address.street", "is required")) }
        let postcode = address.postalCode.trimmed
        let wellFormed = postcode.count == 6 && postcode.enumerated().allSatisfy { index, c in index == 2 ? c == "-" : c.isASCII && c.isNumber }
        if !wellFormed {
            problems.append(.init("person.address.postalCode", "must look like 50-001"))
        }
        if !area.containsCity(address.city) {
            problems.append(.init("person.address.city", "must be \(area.city), the programme's area"))
        } else if wellFormed, !area.containsPostcode(postcode) {
            problems.append(.init("person.address.postalCode", "is not a postcode of \(area.city)"))
        }
    }

    private static func checkName(_ name: String, _ field: String, into problems: inout [FieldProblem]) {
        let trimmed = name.trimmed
        if trimmed.isEmpty || trimmed.count > 100 {
            problems.append(.init(field, "must have 1 to 100 characters"))
        } else if trimmed.unicodeScalars.contains(where: isHiddenControl) {
            // A NUL cuts the name short in storage; a direction override makes it read differently on paper.
            problems.append(.init(field, "must not contain control or text-direction characters"))
        }
    }

    /// Control characters (NUL, line breaks…) and the bidirectional overrides and isolates.
    static func isHiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    private static func checkContact(_ contact: ContactForm, _ field: String, into problems: inout [FieldProblem]) {
        if contact.phone == nil && contact.email == nil { problems.append(.init(field, "needs a phone or an email")) }
        if let phone = contact.phone {
            let digits = phone.filter(\.isNumber)
            let allowed = phone.allSatisfy { $0.isNumber || $0 == " " || $0 == "+" || $0 == "-" }
            if !allowed || !(9...15).contains(digits.count) { problems.append(.init(field + ".phone", "must have 9 to 15 digits")) }
        }
        if let email = contact.email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.count > 254 || email.contains(" ") {
                problems.append(.init(field + ".email", "is not an email address"))
            }
        }
    }

    static func isEditionID(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
