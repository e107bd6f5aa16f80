import Domain
import FoundationEssentials
import Postgres

/// Timesheet's copies of other services' facts. Every write is an upsert, so
/// a replayed or late event leaves the same rows.
struct ReferenceStore: Sendable {
    func save(_ edition: EditionRules, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO editions (edition_id, period_start, period_end, assistant_daily_limit_hours, required_qualifications)
            VALUES (\(edition.id.rawValue), \(edition.period.start.description)::date, \(edition.period.end.description)::date, \(edition.assistantDailyLimitHours),
                    \(edition.statute.map { $0.assistant.qualifications.map(\.rawValue) })::text[])
            ON CONFLICT (edition_id) DO UPDATE SET period_start = excluded.period_start, period_end = excluded.period_end,
                assistant_daily_limit_hours = excluded.assistant_daily_limit_hours, required_qualifications = excluded.required_qualifications
            """)
    }

    /// The newest record of a kind replaces the one before, as in ordering's register.
    func save(_ event: AssistantQualificationRecorded, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO assistant_qualifications (assistant_id, kind, obtained_on, valid_until)
            VALUES (\(event.assistantID.rawValue), \(event.kind.rawValue), \(event.obtainedOn.description)::date, \(event.validUntil?.description)::date)
            ON CONFLICT (assistant_id, kind) DO UPDATE SET obtained_on = excluded.obtained_on, valid_until = excluded.valid_until
            """)
    }

    func save(_ event: ProviderRegistered, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO providers (provider_id, edition_id) VALUES (\(event.providerID.rawValue), \(event.editionID.rawValue))
            ON CONFLICT (provider_id) DO UPDATE SET edition_id = excluded.edition_id
            """)
    }

    func save(_ event: AssistantRegistered, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO assistants (assistant_id, provider_id) VALUES (\(event.assistantID.rawValue), \(event.providerID.rawValue))
            ON CONFLICT (assistant_id) DO UPDATE SET provider_id = excluded.provider_id
            """)
    }

    func save(_ event: SupportGranted, on connection: PostgresConnection) async throws {
        try await connection.execute("INSERT INTO participants (participant_id) VALUES (\(event.participantID.rawValue)) ON CONFLICT DO NOTHING")
        try await connection.execute(
            """
            INSERT INTO grants (grant_id, participant_id, edition_id, hours, period_start, period_end)
            VALUES (\(event.grantID.rawValue), \(event.participantID.rawValue), \(event.editionID.rawValue), \(event.hours),
                    \(event.period.start.description)::date, \(event.period.end.description)::date)
            ON CONFLICT (grant_id) DO UPDATE SET hours = excluded.hours, period_start = excluded.period_start, period_end = excluded.period_end
            """)
    }

    func save(_ event: SupportRevoked, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE grants SET revoked_on = \(event.revokedOn.description)::date WHERE grant_id = \(event.grantID.rawValue)")
    }

    func save(_ event: OrderPlaced, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO orders (order_id, participant_id, edition_id, start_at, end_at)
            VALUES (\(event.orderID.rawValue), \(event.participantID.rawValue), \(event.editionID.rawValue), \(event.start), \(event.end))
            ON CONFLICT (order_id) DO NOTHING
            """)
    }

    /// An assignment carries the order's times too, so it stands on its own.
    func save(_ event: OrderAssigned, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO orders (order_id, participant_id, edition_id, start_at, end_at, provider_id, assistant_id)
            VALUES (\(event.orderID.rawValue), \(event.participantID.rawValue), \(event.editionID.rawValue), \(event.start), \(event.end),
                    \(event.providerID.rawValue), \(event.assistantID.rawValue))
            ON CONFLICT (order_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
                provider_id = excluded.provider_id, assistant_id = excluded.assistant_id
            """)
    }

    func save(_ event: OrderCancelled, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE orders SET cancelled_at = \(event.cancelledAt) WHERE order_id = \(event.orderID.rawValue)")
    }
}
