import Domain
import FoundationEssentials
import Messaging
import Postgres
import ServiceRuntime

/// Why an operator's action cannot be applied.
enum ReviewError: Error, Sendable, Equatable {
    case decisionNotFound
    case grantNotFound
    /// Some decisions are not open automatic grants or rejections; nothing was changed.
    case notAwaitingReview([DecisionID])
    /// The decision has a grant in force: revoke it first.
    case grantInForce
    case grantAlreadyRevoked
    /// The decision's grant was revoked: the decision is final.
    case decisionRevoked
    case invalid(field: String, message: String)
}

/// What an operator sets when overriding a decision.
struct Override: Sendable {
    var outcome: DecisionOutcome
    var reasons: [RejectionReason]
    var hours: Int?
    var group: ParticipantGroup?
    var period: DateRange?

    /// A grant's hours cannot pass the hours of a (leap) year; a larger number was
    /// out of the column's range and answered 500.
    static let maximumHours = 366 * 24
    /// Under a statutory scheme the hours are a month's: at most a 31-day month's.
    static let maximumHoursAMonth = 31 * 24
}

/// What operators list.
struct DecisionFilter: Sendable {
    var awaitingReview: Bool = false
    var applicationID: ApplicationID?
    var editionID: EditionID?
    var outcome: DecisionOutcome?
    var group: ParticipantGroup.Category?
    var after: DecisionID?
    var limit: Int = 100
}

/// Decisions, grants and their audit trail in eligibility's database. Every change
/// writes its events to the outbox in the same transaction.
struct DecisionStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    // MARK: - Reading

    /// One page of the decisions the filter selects, and how many it selects in all
    /// (so a page can say "1 000 decisions on this list" before they are confirmed).
    func decisions(_ filter: DecisionFilter) async throws -> (page: [DecisionRecord], total: Int) {
        try await pool.withConnection { connection in
            let selected: PostgresQuery = """
                FROM decisions
                WHERE (NOT \(filter.awaitingReview) OR (state = 'open' AND review = 'automatic' AND outcome <> 'waiting-for-documents'))
                  AND (\(filter.applicationID?.rawValue)::text IS NULL OR application_id = \(filter.applicationID?.rawValue))
                  AND (\(filter.editionID?.rawValue)::text IS NULL OR edition_id = \(filter.editionID?.rawValue))
                  AND (\(filter.outcome?.rawValue)::text IS NULL OR outcome = \(filter.outcome?.rawValue))
                  AND (\(filter.group?.rawValue)::text IS NULL OR group_category = \(filter.group?.rawValue))
                """
            let rows = try await connection.query(
                "SELECT \(unsafeRaw: DecisionRecord.columns) \(fragment: selected) AND id > \(filter.after?.rawValue ?? "") ORDER BY id LIMIT \(filter.limit)"
            )
            let total = try await connection.query("SELECT count(*) \(fragment: selected)")
            return (try rows.map(DecisionRecord.init(row:)), try total.first?.decode(Int.self, at: 0) ?? 0)
        }
    }

    func decision(_ id: DecisionID) async throws -> DecisionRecord? {
        try await pool.withConnection { connection in try await Self.decision(id, on: connection) }
    }

    func audit(of id: DecisionID) async throws -> [AuditEntry] {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT action, operator, justification, at FROM decision_audit WHERE decision_id = \(id.rawValue) ORDER BY id
                """)
            return try rows.map { row in
                AuditEntry(
                    action: try row.decode(String.self, at: 0), operatorName: try row.decode(String.self, at: 1),
                    justification: try row.decode(String.self, at: 2), at: Timestamp.format(try row.decode(Date.self, at: 3)))
            }
        }
    }

    static func decision(_ id: DecisionID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> DecisionRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unsafeRaw: DecisionRecord.columns) FROM decisions WHERE id = \(id.rawValue) \(unsafeRaw: forUpdate ? "FOR UPDATE" : "")
            """)
        return try rows.first.map(DecisionRecord.init(row:))
    }

    // MARK: - Operator actions

    func confirm(_ ids: [DecisionID], by operatorName: String, justification: String, on day: CalendarDate) async throws -> [DecisionRecord] {
        try await pool.withTransaction { connection in
            try await confirm(ids, by: operatorName, justification: justification, on: day, connection: connection)
        }
    }

    /// Set-based: one statement settles the decisions, creates their grants and writes
    /// the audit lines; one insert appends every event to the outbox.
    func confirm(
        _ ids: [DecisionID], by operatorName: String, justification: String, on day: CalendarDate, connection: PostgresConnection
    ) async throws -> [DecisionRecord] {
        let requested = Array(Set(ids.map(\.rawValue))).sorted()
        let rows = try await connection.query(
            """
            WITH confirmed AS (
                UPDATE decisions
                SET review = 'confirmed', state = 'settled', reviewed_on = \(day.sql),
                    grant_id = CASE WHEN outcome = 'granted' THEN gen_random_uuid()::text END
                WHERE id = ANY(\(requested)::text[]) AND state = 'open' AND review = 'automatic' AND outcome <> 'waiting-for-documents'
                RETURNING *
            ), granted AS (
                INSERT INTO grants (id, decision_id, participant_id, application_id, edition_id, group_category,
                                    multiple_disabilities, hours, period_start, period_end, granted_on)
                SELECT grant_id, id, participant_id, application_id, edition_id, group_category,
                       coalesce(multiple_disabilities, false), hours, period_start, period_end, \(day.sql)
                FROM confirmed WHERE grant_id IS NOT NULL
            ), audited AS (
                INSERT INTO decision_audit (decision_id, action, operator, justification)
                SELECT id, 'confirmed', \(operatorName), \(justification) FROM confirmed
            )
            SELECT \(unsafeRaw: DecisionRecord.columns) FROM confirmed ORDER BY id
            """)
        let records = try rows.map(DecisionRecord.init(row:))
        guard records.count == requested.count else {
            let confirmed = Set(records.map(\.id.rawValue))
            throw ReviewError.notAwaitingReview(requested.filter { !confirmed.contains($0) }.map { DecisionID($0) })
        }
        var events: [OutgoingEvent] = []
        events.reserveCapacity(records.count * 2)
        for record in records {
            events.append(try outbox.envelope(record.decided(review: .confirmed, on: day)))
            if let grant = try record.grantAnnouncement(on: day) { events.append(try outbox.envelope(grant)) }
        }
        try await outbox.append(events, on: connection)
        return records
    }

    func override(
        _ id: DecisionID, with change: Override, by operatorName: String, justification: String, on day: CalendarDate
    ) async throws -> DecisionRecord {
        try await pool.withTransaction { connection in
            guard let current = try await Self.decision(id, on: connection, forUpdate: true) else { throw ReviewError.decisionNotFound }
            guard current.state != "withdrawn" else { throw ReviewError.notAwaitingReview([id]) }
            if current.grantID != nil { throw ReviewError.grantInForce }
            let revoked = try await connection.query("SELECT 1 FROM grants WHERE decision_id = \(id.rawValue) AND revoked_on IS NOT NULL LIMIT 1")
            guard revoked.isEmpty else { throw ReviewError.decisionRevoked }
            let edition = try await EditionStore.rules(current.editionID, on: connection)

            var reasons: [RejectionReason] = []
            var hours: Int?
            var group: ParticipantGroup?
            var period: DateRange?
            var monthlyBudget: MonthlyBudget?
            switch change.outcome {
            case .granted:
                guard let value = change.hours, (1...Override.maximumHours).contains(value) else {
                    throw ReviewError.invalid(
                        field: "hours", message: "is required for a grant and must be between 1 and \(Override.maximumHours), the hours of a year")
                }
                guard let chosen = change.group ?? current.group else {
                    throw ReviewError.invalid(field: "group", message: "is required: the decision has no group to keep")
                }
                let defaultPeriod = edition.map { DateRange(start: max(day, $0.period.start), end: $0.period.end) }
                guard let chosenPeriod = change.period ?? current.period ?? defaultPeriod else {
                    throw ReviewError.invalid(field: "period", message: "is required: the edition is unknown")
                }
                if let edition, !(edition.period.contains(chosenPeriod.start) && edition.period.contains(chosenPeriod.end)) {
                    throw ReviewError.invalid(
                        field: "period", message: "must lie within the edition, \(edition.period.start) to \(edition.period.end)")
                }
                (hours, group, period) = (value, chosen, chosenPeriod)
                // Under a statute the operator sets the hours a month; the decision keeps their total.
                if let statute = edition?.statute {
                    guard value <= Override.maximumHoursAMonth else {
                        throw ReviewError.invalid(
                            field: "hours", message: "are the hours a month under this scheme: at most \(Override.maximumHoursAMonth)")
                    }
                    monthlyBudget = MonthlyBudget(hoursPerMonth: value, carryOver: statute.monthlyHours.carryOver, explanation: nil)
                    hours = value * EligibilityRules.months(in: chosenPeriod)
                }
            case .rejected:
                reasons = Array(Set(change.reasons + [.overriddenByOperator])).sorted()
            case .waitingForDocuments:
                throw ReviewError.invalid(field: "outcome", message: "must be granted or rejected")
            }
            let rows = try await connection.query(
                """
                UPDATE decisions
                SET outcome = \(change.outcome.rawValue), reasons = \(reasons.map(\.rawValue))::text[], missing_documents = '{}',
                    group_category = \(group?.category.rawValue), multiple_disabilities = \(group?.multipleDisabilities),
                    hours = \(hours), period_start = \(period?.start.sql), period_end = \(period?.end.sql), hours_basis = NULL,
                    monthly_budget = \(try monthlyBudget.map(StoredJSON.encode))::jsonb,
                    review = 'overridden', state = 'settled', reviewed_on = \(day.sql),
                    grant_id = CASE WHEN \(change.outcome.rawValue) = 'granted' THEN gen_random_uuid()::text END
                WHERE id = \(id.rawValue)
                RETURNING \(unsafeRaw: DecisionRecord.columns)
                """)
            let record = try DecisionRecord(row: rows[0])
            if let grant = try record.supportGranted(on: day) {
                try await connection.execute(
                    """
                    INSERT INTO grants (id, decision_id, participant_id, application_id, edition_id, group_category,
                                        multiple_disabilities, hours, period_start, period_end, granted_on)
                    VALUES (\(grant.grantID.rawValue), \(id.rawValue), \(grant.participantID.rawValue), \(grant.applicationID.rawValue),
                            \(grant.editionID.rawValue), \(grant.group.category.rawValue), \(grant.group.multipleDisabilities),
                            \(grant.hours), \(grant.period.start.sql), \(grant.period.end.sql), \(day.sql))
                    """)
                try await outbox.append(
                    [
                        try outbox.envelope(record.decided(review: .overridden, on: day)),
                        try outbox.envelope(try record.grantAnnouncement(on: day)!),
                    ], on: connection)
            } else {
                try await outbox.append(record.decided(review: .overridden, on: day), on: connection)
            }
            try await Self.audit(id, action: "overridden", by: operatorName, justification: justification, on: connection)
            return record
        }
    }

    func revoke(_ grant: GrantID, by operatorName: String, justification: String, on day: CalendarDate) async throws -> DecisionRecord {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT decision_id, revoked_on FROM grants WHERE id = \(grant.rawValue) FOR UPDATE
                """)
            guard let row = rows.first else { throw ReviewError.grantNotFound }
            guard try row.decode(CalendarDate?.self, at: 1) == nil else { throw ReviewError.grantAlreadyRevoked }
            let decisionID = DecisionID(try row.decode(String.self, at: 0))
            try await revokeGrants(of: [decisionID], on: day, connection: connection)
            try await Self.audit(decisionID, action: "revoked", by: operatorName, justification: justification, on: connection)
            return try await Self.decision(decisionID, on: connection)!
        }
    }

    /// Revokes the grants in force of these decisions and announces each. The
    /// decision forgets its grant id; the revoked grant row stays, and with it the
    /// decision can no longer be overridden.
    func revokeGrants(
        of decisions: [DecisionID], on day: CalendarDate, causedBy cause: EventHeader? = nil, connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query(
            """
            WITH revoked AS (
                UPDATE grants SET revoked_on = \(day.sql)
                WHERE decision_id = ANY(\(decisions.map(\.rawValue))::text[]) AND revoked_on IS NULL
                RETURNING id, decision_id, participant_id, edition_id
            ), released AS (
                UPDATE decisions SET grant_id = NULL FROM revoked WHERE decisions.id = revoked.decision_id
            )
            SELECT id, participant_id, edition_id FROM revoked
            """)
        let events = try rows.map { row in
            try outbox.envelope(
                SupportRevoked(
                    grantID: GrantID(try row.decode(String.self, at: 0)), participantID: ParticipantID(try row.decode(String.self, at: 1)),
                    editionID: EditionID(try row.decode(String.self, at: 2)), revokedOn: day
                ), causedBy: cause)
        }
        try await outbox.append(events, on: connection)
    }

    static func audit(
        _ id: DecisionID, action: String, by operatorName: String, justification: String, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO decision_audit (decision_id, action, operator, justification)
            VALUES (\(id.rawValue), \(action), \(operatorName), \(justification))
            """)
    }
}

extension DecisionRecord {
    /// What a granted decision announces: a monthly budget as `SupportGranted` version 2,
    /// a programme's hours as version 1, which its consumers read.
    func grantAnnouncement(on day: CalendarDate) throws -> (any DomainEvent)? {
        guard let grant = try supportGranted(on: day) else { return nil }
        guard let budget = verdict.monthlyBudget else { return grant }
        return SupportGrantedV2(grant, hoursPerMonth: budget.hoursPerMonth, carryOver: budget.carryOver)
    }

    /// The grant of a granted decision that has a grant id, with its hours over the whole period.
    func supportGranted(on day: CalendarDate) throws -> SupportGranted? {
        guard verdict.outcome == .granted, let grantID, let group = verdict.group, let hours = verdict.hours, let period = verdict.period else {
            return nil
        }
        return SupportGranted(
            grantID: grantID, participantID: participantID, applicationID: applicationID, editionID: editionID,
            group: group, hours: hours, period: period, grantedOn: day)
    }
}
