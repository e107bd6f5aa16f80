import Domain
import FoundationEssentials
import Messaging
import Postgres

/// What consumed events change, on the consumer loop's transaction (which has
/// already recorded the event in the inbox, so none of this runs twice).
struct EventLedger: Sendable {
    let outbox: Outbox

    // MARK: - Editions and providers

    /// Upserts the edition and its providers; announces each provider new to the
    /// edition (or whose rate changed) with `ProviderRegistered`, insert-first.
    func apply(_ rules: EditionRules, cause: EventHeader, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO editions (id, period_start, period_end, assistant_daily_limit_hours, cancellation_notice_hours, assistant_requirements)
            VALUES (\(rules.id.rawValue), \(rules.period.start.description)::date, \(rules.period.end.description)::date, \(rules.assistantDailyLimitHours),
                    \(rules.cancellationNotice), \(try rules.statute.map { try StoredJSON.encode($0.assistant) })::jsonb)
            ON CONFLICT (id) DO UPDATE SET period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
                assistant_daily_limit_hours = EXCLUDED.assistant_daily_limit_hours,
                cancellation_notice_hours = EXCLUDED.cancellation_notice_hours, assistant_requirements = EXCLUDED.assistant_requirements,
                updated_at = now()
            """)
        let providers = rules.providers
        guard !providers.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO providers (id, name)
            SELECT * FROM unnest(\(providers.map(\.id.rawValue))::text[], \(providers.map(\.name))::text[])
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
            """)
        let registered = try await connection.query(
            """
            INSERT INTO provider_editions (provider_id, edition_id, hourly_rate_grosze)
            SELECT provider, \(rules.id.rawValue), rate FROM unnest(\(providers.map(\.id.rawValue))::text[], \(providers.map(\.hourlyRate.grosze))::bigint[]) AS t(provider, rate)
            ON CONFLICT (provider_id, edition_id) DO UPDATE SET hourly_rate_grosze = EXCLUDED.hourly_rate_grosze
                WHERE provider_editions.hourly_rate_grosze <> EXCLUDED.hourly_rate_grosze
            RETURNING provider_id
            """
        ).map { try $0.decode(String.self, at: 0) }
        let announced = Set(registered)
        let events = try providers.filter { announced.contains($0.id.rawValue) }.map {
            try outbox.envelope(ProviderRegistered(providerID: $0.id, editionID: rules.id, name: $0.name, hourlyRate: $0.hourlyRate), causedBy: cause)
        }
        try await outbox.append(events, on: connection)
    }

    // MARK: - Grants

    /// The grant in force for the participant and edition; a later grant for the same pair replaces it.
    func apply(_ event: SupportGranted, cause: EventHeader, on connection: PostgresConnection) async throws {
        try await save(event, hoursPerMonth: nil, carryOver: nil, on: connection)
    }

    /// A statutory grant: its total as version 1 has it, and its budget each month.
    func apply(_ event: SupportGrantedV2, cause: EventHeader, on connection: PostgresConnection) async throws {
        try await save(event.totals, hoursPerMonth: event.hoursPerMonth, carryOver: event.carryOver, on: connection)
    }

    private func save(_ grant: SupportGranted, hoursPerMonth: Int?, carryOver: Bool?, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO grants (participant_id, edition_id, grant_id, granted_hours, period_start, period_end, granted_on, hours_per_month, carry_over)
            VALUES (\(grant.participantID.rawValue), \(grant.editionID.rawValue), \(grant.grantID.rawValue), \(grant.hours),
                    \(grant.period.start.description)::date, \(grant.period.end.description)::date, \(grant.grantedOn.description)::date,
                    \(hoursPerMonth), \(carryOver))
            ON CONFLICT (participant_id, edition_id) DO UPDATE SET grant_id = EXCLUDED.grant_id, granted_hours = EXCLUDED.granted_hours,
                period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, granted_on = EXCLUDED.granted_on, revoked_on = NULL,
                hours_per_month = EXCLUDED.hours_per_month, carry_over = EXCLUDED.carry_over
            """)
    }

    /// Marks the grant revoked and cancels (as the coordinator) every open order
    /// of the participant in that edition that runs past the revocation day and
    /// has no accounted hours.
    func apply(_ event: SupportRevoked, cause: EventHeader, on connection: PostgresConnection) async throws {
        let revocation = event
        let revoked = try await connection.query(
            """
            UPDATE grants SET revoked_on = \(revocation.revokedOn.description)::date
            WHERE grant_id = \(revocation.grantID.rawValue) AND participant_id = \(revocation.participantID.rawValue)
            RETURNING edition_id
            """)
        guard let row = revoked.first else {
            throw DeadLetter(code: "unknown-grant", message: "no grant \(revocation.grantID) is known for the participant")
        }
        let editionID = EditionID(try row.decode(String.self, at: 0))
        let cancelledAt = cause.time
        let cancelled = try await connection.query(
            """
            UPDATE orders o SET status = 'cancelled', cancelled_at = \(Timestamp.format(cancelledAt))::timestamptz, cancelled_by = 'coordinator'
            WHERE o.participant_id = \(revocation.participantID.rawValue) AND o.edition_id = \(editionID.rawValue)
              AND o.status <> 'cancelled'
              AND ((o.end_at - interval '1 second') AT TIME ZONE 'Europe/Warsaw')::date > \(revocation.revokedOn.description)::date
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.order_id = o.id AND d.minutes > 0)
            RETURNING o.id
            """
        ).map { OrderID(try $0.decode(String.self, at: 0)) }
        let events = try cancelled.sorted { $0.rawValue < $1.rawValue }.map {
            try outbox.envelope(
                OrderCancelled(
                    orderID: $0, participantID: revocation.participantID, editionID: editionID,
                    cancelledAt: cancelledAt, cancelledBy: .coordinator
                ), causedBy: cause)
        }
        try await outbox.append(events, on: connection)
    }

    // MARK: - Delivered hours

    /// An accepted entry: its minutes count as delivered (and release its order's reservation).
    func apply(_ event: HoursAccounted, cause: EventHeader, on connection: PostgresConnection) async throws {
        let e = event
        try await record(
            provider: e.providerID, entry: e.entryID, sequence: e.sequence, order: e.orderID, participant: e.participantID, edition: e.editionID,
            minutes: e.minutes, voided: false, on: connection)
    }

    /// A correction: the entry's minutes become the corrected ones (the same as
    /// adding minutes − previousMinutes to what was delivered).
    func apply(_ event: TimesheetEntryCorrected, cause: EventHeader, on connection: PostgresConnection) async throws {
        let e = event
        try await record(
            provider: e.providerID, entry: e.entryID, sequence: e.sequence, order: e.orderID, participant: e.participantID, edition: e.editionID,
            minutes: e.minutes, voided: false, on: connection)
    }

    /// A void: the entry's minutes no longer count.
    func apply(_ event: TimesheetEntryVoided, cause: EventHeader, on connection: PostgresConnection) async throws {
        let e = event
        try await record(
            provider: e.providerID, entry: e.entryID, sequence: e.sequence, order: e.orderID, participant: e.participantID, edition: e.editionID,
            minutes: 0, voided: true, on: connection)
    }

    /// One row per NGO entry holding its current minutes. A version replaces the
    /// stored one only if its sequence is higher (a void also at the same
    /// sequence), so a late older version never undoes a newer one.
    private func record(
        provider: ProviderID, entry: String, sequence: Int, order: OrderID, participant: ParticipantID, edition: EditionID, minutes: Int,
        voided: Bool, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO deliveries (provider_id, entry_id, sequence, order_id, participant_id, edition_id, minutes, voided)
            VALUES (\(provider.rawValue), \(entry), \(sequence), \(order.rawValue), \(participant.rawValue), \(edition.rawValue), \(minutes), \(voided))
            ON CONFLICT (provider_id, entry_id) DO UPDATE SET sequence = EXCLUDED.sequence, order_id = EXCLUDED.order_id,
                participant_id = EXCLUDED.participant_id, edition_id = EXCLUDED.edition_id, minutes = EXCLUDED.minutes, voided = EXCLUDED.voided
            WHERE deliveries.sequence < EXCLUDED.sequence OR (EXCLUDED.voided AND deliveries.sequence = EXCLUDED.sequence)
            """)
    }
}
