import Domain

/// What eligibility knows of an application: the facts intake announced, with
/// the documents brought up to date by `DocumentsAdded`. No personal data.
struct ApplicationFacts: Hashable, Codable, Sendable {
    var applicationID: ApplicationID
    var participantID: ParticipantID
    var editionID: EditionID
    var age: AgeFact
    var certificate: CertificateFacts
    var residesInProgrammeArea: Bool
    var legallyIncapacitated: Bool
    var documents: Set<DocumentKind>
    var declaredNeeds: DeclaredNeeds
    /// Asked of adults under a statute; nil otherwise.
    var supportNeeds: SupportNeedsAssessment?
}

extension ApplicationFacts {
    init(_ event: ApplicationSubmitted) {
        self.init(
            applicationID: event.applicationID, participantID: event.participantID, editionID: event.editionID,
            age: event.age, certificate: event.certificate, residesInProgrammeArea: event.residesInProgrammeArea,
            legallyIncapacitated: event.legallyIncapacitated, documents: Set(event.documents), declaredNeeds: event.declaredNeeds,
            supportNeeds: event.supportNeeds
        )
    }
}
