import Domain
import FoundationEssentials

/// What a client may read of an application: its state and its documents'
/// kinds and checksums. No personal data.
struct ApplicationStatus: Codable, Sendable, Hashable {
    var id: ApplicationID
    var participantID: ParticipantID
    var edition: EditionID
    var status: String
    var submittedOn: CalendarDate
    var withdrawnOn: CalendarDate?
    var documents: [DocumentSummary]
}

struct DocumentSummary: Codable, Sendable, Hashable {
    var id: String
    var kind: DocumentKind
    /// For uploaded bytes: their size and SHA-256 (hex).
    var sizeBytes: Int?
    var sha256: String?
    /// True when the document is a reference rather than bytes.
    var isReference: Bool
}

enum SubmitOutcome: Sendable {
    case created(ApplicationStatus)
    /// The person already applied in this edition.
    case duplicate(ApplicationID)
}

enum DocumentOutcome: Sendable {
    case added(DocumentSummary)
    case notFound
    case withdrawn
}
