/// What kind of document certifies the disability (orzeczenie).
public enum CertificateKind: String, Codable, Sendable, CaseIterable {
    /// Orzeczenie o niepełnosprawności: issued to children under 16.
    case childDisability = "child-disability"
    /// Orzeczenie o stopniu niepełnosprawności: issued to adults and youth from 16.
    case degree
    /// Orzeczenie równoważne, e.g. a ZUS certificate of inability to live independently.
    case equivalent
}

/// Stopień niepełnosprawności.
public enum DisabilityDegree: String, Codable, Sendable, CaseIterable {
    case significant  // znaczny
    case moderate  // umiarkowany
    case mild  // lekki
}

/// Points 7 and 8 of a child's certificate; the programme requires both.
public struct Indications: Hashable, Codable, Sendable {
    /// Point 7: needs constant or long-term care or help of another person.
    public var constantCare: Bool
    /// Point 8: needs a carer's constant daily participation in treatment, rehabilitation and education.
    public var carerParticipation: Bool

    public init(constantCare: Bool, carerParticipation: Bool) {
        self.constantCare = constantCare
        self.carerParticipation = carerParticipation
    }

    public var both: Bool { constantCare && carerParticipation }
}

/// The facts of a certificate that eligibility rules read; the document itself stays in intake.
public struct CertificateFacts: Hashable, Codable, Sendable {
    public var kind: CertificateKind
    /// Absent on a child's certificate, which has no degree.
    public var degree: DisabilityDegree?
    public var indications: Indications
    /// Niepełnosprawność sprzężona: more than one cause, which raises the hour cap.
    public var multipleDisabilities: Bool
    public var issuedOn: CalendarDate
    /// Nil when the certificate is permanent (na stałe).
    public var validUntil: CalendarDate?

    public init(
        kind: CertificateKind, degree: DisabilityDegree?, indications: Indications, multipleDisabilities: Bool, issuedOn: CalendarDate,
        validUntil: CalendarDate?
    ) {
        self.kind = kind
        self.degree = degree
        self.indications = indications
        self.multipleDisabilities = multipleDisabilities
        self.issuedOn = issuedOn
        self.validUntil = validUntil
    }
}

/// Documents checked at recruitment.
public enum DocumentKind: String, Codable, Sendable, CaseIterable, Comparable {
    case certificateCopy = "certificate-copy"
    case applicationForm = "application-form"
    /// Court ruling of incapacitation (postanowienie o ubezwłasnowolnieniu).
    case courtRuling = "court-ruling"
    /// Document proving the applicant is the legal guardian.
    case guardianshipProof = "guardianship-proof"
    /// The support-needs assessment (ocena poziomu potrzeby wsparcia) an adult brings under a statute.
    case supportNeedsAssessment = "support-needs-assessment"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every application needs these two.
    public static let alwaysRequired: [DocumentKind] = [.certificateCopy, .applicationForm]
    /// An incapacitated person's guardian adds these two.
    public static let guardianship: [DocumentKind] = [.courtRuling, .guardianshipProof]
}
