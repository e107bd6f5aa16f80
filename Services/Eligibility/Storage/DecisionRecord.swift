import Domain
import FoundationEssentials
import Postgres
import ServiceRuntime

/// A decision as stored and as an operator reads it: the rules' verdict (its
/// fields read as the record's own, and its JSON sits flat in the record's) and
/// what became of it. No personal data. An override's hours are the operator's,
/// with their justification in the audit trail.
@dynamicMemberLookup
struct DecisionRecord: Codable, Sendable, Hashable {
    var id: DecisionID
    var applicationID: ApplicationID
    var participantID: ParticipantID
    var editionID: EditionID
    var verdict: Verdict
    var decidedOn: CalendarDate
    var review: DecisionReview
    /// open, settled or withdrawn.
    var state: String
    var grantID: GrantID?

    subscript<Value>(dynamicMember field: KeyPath<Verdict, Value>) -> Value { verdict[keyPath: field] }

    private enum CodingKeys: String, CodingKey {
        case id, applicationID, participantID, editionID, decidedOn, review, state, grantID
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(DecisionID.self, forKey: .id)
        applicationID = try container.decode(ApplicationID.self, forKey: .applicationID)
        participantID = try container.decode(ParticipantID.self, forKey: .participantID)
        editionID = try container.decode(EditionID.self, forKey: .editionID)
        verdict = try Verdict(from: decoder)
        decidedOn = try container.decode(CalendarDate.self, forKey: .decidedOn)
        review = try container.decode(DecisionReview.self, forKey: .review)
        state = try container.decode(String.self, forKey: .state)
        grantID = try container.decodeIfPresent(GrantID.self, forKey: .grantID)
    }

    func encode(to encoder: any Encoder) throws {
        try verdict.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(applicationID, forKey: .applicationID)
        try container.encode(participantID, forKey: .participantID)
        try container.encode(editionID, forKey: .editionID)
        try container.encode(decidedOn, forKey: .decidedOn)
        try container.encode(review, forKey: .review)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(grantID, forKey: .grantID)
    }

    /// The columns `init(row:)` reads, in order.
    static let columns = """
        id, application_id, participant_id, edition_id, outcome, reasons, missing_documents, group_category,
        multiple_disabilities, hours, period_start, period_end, decided_on, review, state, grant_id, hours_basis::text, monthly_budget::text
        """

    init(row: PostgresRow) throws {
        id = DecisionID(try row.decode(String.self, at: 0))
        applicationID = ApplicationID(try row.decode(String.self, at: 1))
        participantID = ParticipantID(try row.decode(String.self, at: 2))
        editionID = EditionID(try row.decode(String.self, at: 3))
        verdict = Verdict(
            outcome: try row.decode(DecisionOutcome.self, at: 4),
            reasons: try row.decode([String].self, at: 5).map { try RejectionReason(stored: $0) },
            missingDocuments: try row.decode([String].self, at: 6).map { try DocumentKind(stored: $0) },
            group: try row.decode(ParticipantGroup.Category?.self, at: 7).map {
                ParticipantGroup(category: $0, multipleDisabilities: try row.decode(Bool?.self, at: 8) ?? false)
            },
            hours: try row.decode(Int?.self, at: 9),
            period: try row.decode(CalendarDate?.self, at: 10).flatMap { start in
                try row.decode(CalendarDate?.self, at: 11).map { DateRange(start: start, end: $0) }
            },
            hoursBasis: try row.decode(String?.self, at: 16).map { try StoredJSON.decode(HoursBasis.self, $0) },
            monthlyBudget: try row.decode(String?.self, at: 17).map { try StoredJSON.decode(MonthlyBudget.self, $0) })
        decidedOn = try row.decode(CalendarDate.self, at: 12)
        review = try row.decode(DecisionReview.self, at: 13)
        state = try row.decode(String.self, at: 14)
        grantID = try row.decode(GrantID?.self, at: 15)
    }

    func decided(review: DecisionReview, on day: CalendarDate) -> EligibilityDecided {
        let granted = verdict.outcome == .granted
        return EligibilityDecided(
            decisionID: id, applicationID: applicationID, participantID: participantID, editionID: editionID,
            outcome: verdict.outcome, reasons: verdict.reasons, missingDocuments: verdict.missingDocuments,
            grantedHours: granted ? verdict.hours : nil, period: granted ? verdict.period : nil,
            group: granted ? verdict.group : nil, decidedOn: day, review: review
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
