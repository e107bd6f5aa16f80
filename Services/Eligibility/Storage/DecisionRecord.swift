import Domain
import Foundation
import Postgres
import ServiceRuntime

/// A decision as stored and as an operator reads it. No personal data.
struct DecisionRecord: Codable, Sendable, Hashable {
    var id: DecisionID
    var applicationID: ApplicationID
    var participantID: ParticipantID
    var editionID: EditionID
    var outcome: DecisionOutcome
    var reasons: [RejectionReason]
    var missingDocuments: [DocumentKind]
    var group: ParticipantGroup?
    var hours: Int?
    var period: DateRange?
    var decidedOn: CalendarDate
    var review: DecisionReview
    /// open, settled or withdrawn.
    var state: String
    var grantID: GrantID?
    /// How an automatic grant's hours were reached (cap, months, declared need); an
    /// override's hours are the operator's, with their justification in the audit trail.
    var hoursBasis: HoursBasis?

    /// The columns `init(row:)` reads, in order.
    static let columns = """
        id, application_id, participant_id, edition_id, outcome, reasons, missing_documents, group_category,
        multiple_disabilities, hours, period_start, period_end, decided_on, review, state, grant_id, hours_basis::text
        """

    init(row: PostgresRow) throws {
        id = DecisionID(try row.decode(String.self, at: 0))
        applicationID = ApplicationID(try row.decode(String.self, at: 1))
        participantID = ParticipantID(try row.decode(String.self, at: 2))
        editionID = EditionID(try row.decode(String.self, at: 3))
        outcome = try row.decode(DecisionOutcome.self, at: 4)
        reasons = try row.decode([String].self, at: 5).map { try RejectionReason(stored: $0) }
        missingDocuments = try row.decode([String].self, at: 6).map { try DocumentKind(stored: $0) }
        if let category = try row.decode(String?.self, at: 7) {
            group = ParticipantGroup(
                category: try ParticipantGroup.Category(stored: category),
                multipleDisabilities: try row.decode(Bool?.self, at: 8) ?? false)
        }
        hours = try row.decode(Int?.self, at: 9)
        if let start = try row.decode(SQLDate?.self, at: 10)?.value, let end = try row.decode(SQLDate?.self, at: 11)?.value {
            period = DateRange(start: start, end: end)
        }
        decidedOn = try row.decode(SQLDate.self, at: 12).value
        review = try row.decode(DecisionReview.self, at: 13)
        state = try row.decode(String.self, at: 14)
        grantID = try row.decode(String?.self, at: 15).map { GrantID($0) }
        hoursBasis = try row.decode(String?.self, at: 16).map { try JSONDecoder().decode(HoursBasis.self, from: Data($0.utf8)) }
    }

    func decided(review: DecisionReview, on day: CalendarDate) -> EligibilityDecided {
        EligibilityDecided(
            decisionID: id, applicationID: applicationID, participantID: participantID, editionID: editionID,
            outcome: outcome, reasons: reasons, missingDocuments: missingDocuments,
            grantedHours: outcome == .granted ? hours : nil, period: outcome == .granted ? period : nil,
            group: outcome == .granted ? group : nil, decidedOn: day, review: review
        )
    }
}

/// One line of a decision's audit trail.
struct AuditEntry: Codable, Sendable, Hashable {
    var action: String
    var operatorName: String
    var justification: String
    var at: String
}
