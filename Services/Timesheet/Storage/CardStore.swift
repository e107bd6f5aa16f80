import Domain
import FoundationEssentials
import Messaging
import Postgres

/// A participant's monthly card ("karta realizacji usług"): the visits that count in
/// a month, the month's confirmation and the contested visits. Confirming and
/// contesting lock the participant's row, as a batch of entries does, so neither
/// interleaves with a correction of the same participant's visits.
struct CardStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    func card(of participantID: ParticipantID, month: YearMonth) async throws -> CardView {
        try await pool.withConnection { connection in
            let confirmedAt = try await connection.query(
                """
                SELECT confirmed_at FROM month_confirmations WHERE participant_id = \(participantID.rawValue) AND month = \(month.description)
                """
            ).first.map { try $0.decode(Date.self, at: 0) }
            let visits = try await connection.query(
                """
                SELECT o.provider_id, o.entry_id, o.sequence, o.assistant_id, o.order_id, o.start_at, o.end_at, o.minutes, v.activity,
                       cv.sequence IS NOT NULL, c.reason, c.comment, c.contested_at, c.outcome
                FROM entry_outcomes o JOIN entry_versions v USING (provider_id, entry_id, sequence)
                LEFT JOIN confirmed_versions cv USING (provider_id, entry_id, sequence)
                LEFT JOIN contests c USING (provider_id, entry_id, sequence)
                WHERE o.participant_id = \(participantID.rawValue) AND o.month = \(month.description)
                  AND o.outcome = 'accepted' AND o.superseded_by IS NULL
                ORDER BY o.start_at, o.provider_id, o.entry_id
                """
            ).map { row in
                CardView.Visit(
                    providerID: try row.decode(String.self, at: 0), entryID: try row.decode(String.self, at: 1),
                    sequence: try row.decode(Int.self, at: 2), assistantID: try row.decode(String.self, at: 3),
                    orderID: try row.decode(String.self, at: 4), start: try row.decode(Date.self, at: 5), end: try row.decode(Date.self, at: 6),
                    minutes: try row.decode(Int.self, at: 7), activity: try row.decode(String.self, at: 8),
                    confirmed: try row.decode(Bool.self, at: 9),
                    contest: try row.decode(String?.self, at: 10).map { reason in
                        CardView.Contest(
                            reason: reason, comment: try row.decode(String?.self, at: 11), contestedAt: try row.decode(Date.self, at: 12),
                            outcome: try row.decode(String?.self, at: 13))
                    })
            }
            return CardView(participantID: participantID.rawValue, month: month.description, confirmedAt: confirmedAt, visits: visits)
        }
    }

    enum Confirmation: Sendable {
        case confirmed(Date)
        case alreadyConfirmed(Date)
        case nothingToConfirm
    }

    /// Confirms the month: every counted, uncontested visit is covered, and each NGO
    /// hears of its own visits (`MonthConfirmed`, one per NGO and edition).
    func confirm(_ month: YearMonth, of participantID: ParticipantID) async throws -> Confirmation {
        try await pool.withTransaction { connection in
            try await lock(participantID, on: connection)
            let counted = try await connection.query(
                """
                SELECT count(*) FROM entry_outcomes WHERE participant_id = \(participantID.rawValue) AND month = \(month.description)
                  AND outcome = 'accepted' AND superseded_by IS NULL
                """
            ).first!.decode(Int.self, at: 0)
            guard counted > 0 else { return .nothingToConfirm }
            let inserted = try await connection.query(
                """
                INSERT INTO month_confirmations (participant_id, month) VALUES (\(participantID.rawValue), \(month.description))
                ON CONFLICT DO NOTHING RETURNING confirmed_at
                """)
            guard let confirmedAt = try inserted.first?.decode(Date.self, at: 0) else {
                let existing = try await connection.query(
                    """
                    SELECT confirmed_at FROM month_confirmations WHERE participant_id = \(participantID.rawValue) AND month = \(month.description)
                    """)
                return .alreadyConfirmed(try existing.first!.decode(Date.self, at: 0))
            }
            let perProvider = try await connection.query(
                """
                WITH covered AS (
                    SELECT o.provider_id, o.entry_id, o.sequence, o.edition_id, o.minutes FROM entry_outcomes o
                    WHERE o.participant_id = \(participantID.rawValue) AND o.month = \(month.description)
                      AND o.outcome = 'accepted' AND o.superseded_by IS NULL
                      AND NOT EXISTS (SELECT 1 FROM contests c WHERE c.provider_id = o.provider_id AND c.entry_id = o.entry_id
                                        AND c.sequence = o.sequence AND c.settled_at IS NULL)
                ), stored AS (
                    INSERT INTO confirmed_versions (provider_id, entry_id, sequence, participant_id, month)
                    SELECT provider_id, entry_id, sequence, \(participantID.rawValue), \(month.description) FROM covered
                )
                SELECT provider_id, edition_id, count(*)::int, sum(minutes)::int FROM covered GROUP BY provider_id, edition_id
                ORDER BY provider_id, edition_id
                """
            ).map { row in
                MonthConfirmed(
                    providerID: ProviderID(try row.decode(String.self, at: 0)), participantID: participantID,
                    editionID: EditionID(try row.decode(String.self, at: 1)), month: month, visits: try row.decode(Int.self, at: 2),
                    minutes: try row.decode(Int.self, at: 3))
            }
            try await outbox.append(try perProvider.map { try outbox.envelope($0) }, on: connection)
            return .confirmed(confirmedAt)
        }
    }

    enum Contesting: Sendable {
        case contested(VisitContested)
        case notCounted
        case monthConfirmed
        case alreadyContested
    }

    /// Contests the version of an entry that counts now, unless its month is confirmed.
    func contest(
        providerID: ProviderID, entryID: String, of participantID: ParticipantID, reason: ContestReason, comment: String?
    ) async throws -> Contesting {
        try await pool.withTransaction { connection in
            try await lock(participantID, on: connection)
            let rows = try await connection.query(
                """
                SELECT o.sequence, o.assistant_id, o.edition_id, o.month, o.minutes,
                       EXISTS (SELECT 1 FROM month_confirmations m WHERE m.participant_id = o.participant_id AND m.month = o.month)
                FROM entry_outcomes o
                WHERE o.provider_id = \(providerID.rawValue) AND o.entry_id = \(entryID) AND o.participant_id = \(participantID.rawValue)
                  AND o.outcome = 'accepted' AND o.superseded_by IS NULL
                """)
            guard let row = rows.first else { return .notCounted }
            guard try !row.decode(Bool.self, at: 5) else { return .monthConfirmed }
            let contested = VisitContested(
                providerID: providerID, entryID: entryID, sequence: try row.decode(Int.self, at: 0), participantID: participantID,
                assistantID: AssistantID(try row.decode(String.self, at: 1)), editionID: EditionID(try row.decode(String.self, at: 2)),
                month: YearMonth(try row.decode(String.self, at: 3))!, minutes: try row.decode(Int.self, at: 4), reason: reason, comment: comment)
            let inserted = try await connection.query(
                """
                INSERT INTO contests (provider_id, entry_id, sequence, participant_id, assistant_id, edition_id, month, minutes, reason, comment)
                VALUES (\(providerID.rawValue), \(entryID), \(contested.sequence), \(participantID.rawValue), \(contested.assistantID.rawValue),
                        \(contested.editionID.rawValue), \(contested.month.description), \(contested.minutes), \(reason.rawValue), \(comment))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            guard inserted.first != nil else { return .alreadyContested }
            try await outbox.append(contested, on: connection)
            return .contested(contested)
        }
    }

    /// An operator decides an open contest: the visit stands as recorded.
    func settleAsStanding(providerID: ProviderID, entryID: String) async throws -> ContestSettled? {
        try await pool.withTransaction { connection in
            let settled = try await Self.settle([(providerID, entryID, nil, .stands)], on: connection)
            try await outbox.append(try settled.map { try outbox.envelope($0) }, on: connection)
            return settled.first
        }
    }

    /// Ends the open contests of the given entries (of the given version, when one is
    /// named) with their outcome, and returns what to announce. A batch of entries
    /// calls it for the versions its corrections and voids superseded.
    static func settle(
        _ changes: [(providerID: ProviderID, entryID: String, sequence: Int?, outcome: ContestSettled.Outcome)], on connection: PostgresConnection
    ) async throws -> [ContestSettled] {
        guard !changes.isEmpty else { return [] }
        return try await connection.query(
            """
            UPDATE contests c SET settled_at = now(), outcome = u.outcome
            FROM unnest(\(changes.map(\.providerID.rawValue))::text[], \(changes.map(\.entryID))::text[], \(changes.map(\.sequence))::int[],
                        \(changes.map(\.outcome.rawValue))::text[]) AS u(provider_id, entry_id, sequence, outcome)
            WHERE c.provider_id = u.provider_id AND c.entry_id = u.entry_id AND (u.sequence IS NULL OR c.sequence = u.sequence)
              AND c.settled_at IS NULL
            RETURNING c.provider_id, c.entry_id, c.sequence, c.participant_id, c.edition_id, c.month, c.minutes, c.outcome
            """
        ).map { row in
            ContestSettled(
                providerID: ProviderID(try row.decode(String.self, at: 0)), entryID: try row.decode(String.self, at: 1),
                sequence: try row.decode(Int.self, at: 2), participantID: ParticipantID(try row.decode(String.self, at: 3)),
                editionID: EditionID(try row.decode(String.self, at: 4)), month: YearMonth(try row.decode(String.self, at: 5))!,
                minutes: try row.decode(Int.self, at: 6), outcome: ContestSettled.Outcome(rawValue: try row.decode(String.self, at: 7))!)
        }
    }

    private func lock(_ participantID: ParticipantID, on connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT 1 FROM participants WHERE participant_id = \(participantID.rawValue) FOR UPDATE")
    }
}

/// The monthly card as the participant's page shows it.
struct CardView: Codable, Sendable, Equatable {
    struct Contest: Codable, Sendable, Equatable {
        var reason: String
        var comment: String?
        var contestedAt: Date
        /// corrected, voided or stands once settled; absent while open.
        var outcome: String?
    }

    struct Visit: Codable, Sendable, Equatable {
        var providerID: String
        var entryID: String
        var sequence: Int
        var assistantID: String
        var orderID: String
        var start: Date
        var end: Date
        var minutes: Int
        var activity: String
        /// Covered by the month's confirmation (a version sent after it is not).
        var confirmed: Bool
        var contest: Contest?
    }

    var participantID: String
    var month: String
    var confirmedAt: Date?
    var visits: [Visit]
}
