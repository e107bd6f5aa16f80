import Domain
import FoundationEssentials
import Messaging
import Postgres
import ServiceRuntime

/// Consumes intake's events. The consumer loop has already recorded each event in
/// the inbox in this transaction; the unique application id makes a second
/// `ApplicationSubmitted` for the same application (a re-publication) a no-op too.
struct ApplicationHandlers: Sendable {
    let store: DecisionStore
    let today: @Sendable () -> CalendarDate
    /// `eligibility.auto_confirm`: settle grants and rejections without an operator.
    let autoConfirm: Bool

    static let autoConfirmOperator = "eligibility.auto_confirm"

    /// The events eligibility consumes: intake's applications.
    static func make(store: DecisionStore, today: @escaping @Sendable () -> CalendarDate, autoConfirm: Bool) -> EventHandlers {
        let handler = ApplicationHandlers(store: store, today: today, autoConfirm: autoConfirm)
        var handlers = EventHandlers()
        handlers.on(ApplicationSubmitted.self) { event, connection in try await handler.submitted(event, on: connection) }
        handlers.on(DocumentsAdded.self) { event, connection in try await handler.documentsAdded(event, on: connection) }
        handlers.on(ApplicationWithdrawn.self) { event, connection in try await handler.withdrawn(event, on: connection) }
        return handlers
    }

    func submitted(_ event: IncomingEvent<ApplicationSubmitted>, on connection: PostgresConnection) async throws {
        let facts = ApplicationFacts(event.data)
        let inserted = try await connection.query(
            """
            INSERT INTO applications (application_id, participant_id, edition_id, facts)
            VALUES (\(facts.applicationID.rawValue), \(facts.participantID.rawValue), \(facts.editionID.rawValue), \(try StoredJSON.encode(facts))::jsonb)
            ON CONFLICT (application_id) DO NOTHING
            RETURNING application_id
            """)
        guard inserted.count == 1 else { return }
        let day = today()
        let verdict = try await decide(facts, on: day, connection: connection)
        let rows = try await connection.query(
            """
            INSERT INTO decisions (id, application_id, participant_id, edition_id, outcome, reasons, missing_documents,
                                   group_category, multiple_disabilities, hours, period_start, period_end, decided_on, hours_basis,
                                   monthly_budget)
            VALUES (\(DecisionID.random().rawValue), \(facts.applicationID.rawValue), \(facts.participantID.rawValue), \(facts.editionID.rawValue),
                    \(verdict.outcome.rawValue), \(verdict.reasons.map(\.rawValue))::text[], \(verdict.missingDocuments.map(\.rawValue))::text[],
                    \(verdict.group?.category.rawValue), \(verdict.group?.multipleDisabilities), \(verdict.hours),
                    \(verdict.period?.start.sql), \(verdict.period?.end.sql), \(day.sql), \(try verdict.hoursBasis.map { try StoredJSON.encode($0) })::jsonb,
                    \(try verdict.monthlyBudget.map { try StoredJSON.encode($0) })::jsonb)
            RETURNING \(unsafeRaw: DecisionRecord.columns)
            """)
        try await announce(try DecisionRecord(row: rows[0]), causedBy: event.header, on: day, connection: connection)
    }

    /// Re-decides while the decision is still automatic and open (waiting for
    /// documents, or not yet reviewed); announces only a changed verdict.
    func documentsAdded(_ event: IncomingEvent<DocumentsAdded>, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            UPDATE applications SET facts = jsonb_set(facts, '{documents}', \(try StoredJSON.encode(event.data.documents))::jsonb)
            WHERE application_id = \(event.data.applicationID.rawValue)
            RETURNING facts::text
            """)
        guard let row = rows.first else {
            throw DeadLetter(code: "unknown-application", message: "documents for an application eligibility has not seen")
        }
        let facts = try StoredJSON.decode(ApplicationFacts.self, try row.decode(String.self, at: 0))
        let day = today()
        let verdict = try await decide(facts, on: day, connection: connection)
        let updated = try await connection.query(
            """
            UPDATE decisions
            SET outcome = \(verdict.outcome.rawValue), reasons = \(verdict.reasons.map(\.rawValue))::text[],
                missing_documents = \(verdict.missingDocuments.map(\.rawValue))::text[],
                group_category = \(verdict.group?.category.rawValue), multiple_disabilities = \(verdict.group?.multipleDisabilities),
                hours = \(verdict.hours), period_start = \(verdict.period?.start.sql), period_end = \(verdict.period?.end.sql), decided_on = \(day.sql),
                hours_basis = \(try verdict.hoursBasis.map { try StoredJSON.encode($0) })::jsonb,
                monthly_budget = \(try verdict.monthlyBudget.map { try StoredJSON.encode($0) })::jsonb
            WHERE application_id = \(facts.applicationID.rawValue) AND state = 'open' AND review = 'automatic'
              AND (outcome, reasons, missing_documents, hours, period_start, period_end)
                  IS DISTINCT FROM (\(verdict.outcome.rawValue)::text, \(verdict.reasons.map(\.rawValue))::text[],
                                    \(verdict.missingDocuments.map(\.rawValue))::text[], \(verdict.hours)::int,
                                    \(verdict.period?.start.sql)::date, \(verdict.period?.end.sql)::date)
            RETURNING \(unsafeRaw: DecisionRecord.columns)
            """)
        guard let changed = updated.first else { return }
        try await announce(try DecisionRecord(row: changed), causedBy: event.header, on: day, connection: connection)
    }

    /// The decision is withdrawn; a grant in force is revoked from the day of withdrawal.
    func withdrawn(_ event: IncomingEvent<ApplicationWithdrawn>, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            WITH application AS (
                UPDATE applications SET withdrawn_on = \(event.data.withdrawnOn.sql)
                WHERE application_id = \(event.data.applicationID.rawValue) AND withdrawn_on IS NULL
                RETURNING application_id
            )
            UPDATE decisions SET state = 'withdrawn' FROM application
            WHERE decisions.application_id = application.application_id
            RETURNING decisions.id
            """)
        guard let row = rows.first else { return }
        let decision = DecisionID(try row.decode(String.self, at: 0))
        try await store.revokeGrants(of: [decision], on: event.data.withdrawnOn, causedBy: event.header, connection: connection)
        try await DecisionStore.audit(decision, action: "withdrawn", by: "applicant", justification: "the application was withdrawn", on: connection)
    }

    // MARK: -

    private func decide(_ facts: ApplicationFacts, on day: CalendarDate, connection: PostgresConnection) async throws -> Verdict {
        guard let edition = try await EditionStore.rules(facts.editionID, on: connection) else { return .rejected([.outsideEdition]) }
        return EligibilityRules.decide(facts, edition: edition, on: day)
    }

    private func announce(_ record: DecisionRecord, causedBy cause: EventHeader, on day: CalendarDate, connection: PostgresConnection) async throws {
        try await store.outbox.append(record.decided(review: .automatic, on: day), causedBy: cause, on: connection)
        if autoConfirm, record.outcome != .waitingForDocuments {
            _ = try await store.confirm(
                [record.id], by: Self.autoConfirmOperator, justification: "confirmed automatically (eligibility.auto_confirm)",
                on: day, connection: connection)
        }
    }
}
