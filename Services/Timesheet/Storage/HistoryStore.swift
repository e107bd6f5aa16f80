import Domain
import Foundation
import Postgres

/// Reads an entry's versions with their answers: the audit trail.
struct HistoryStore: Sendable {
    let pool: PostgresPool

    func versions(of entryID: String, providerID: ProviderID) async throws -> [EntryVersionView] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT v.sequence, v.action, v.received_at, v.assistant_id, v.order_id, v.participant_id, v.start_at, v.end_at,
                       v.activity, v.reason, v.event_id, o.outcome, o.code, o.message, o.minutes, o.remaining_minutes, o.superseded_by, o.decided_at
                FROM entry_versions v LEFT JOIN entry_outcomes o USING (provider_id, entry_id, sequence)
                WHERE v.provider_id = \(providerID.rawValue) AND v.entry_id = \(entryID)
                ORDER BY v.sequence
                """
            ).map { row in
                let outcome = try row.decode(String?.self, at: 11)
                let supersededBy = try row.decode(Int?.self, at: 16)
                return EntryVersionView(
                    sequence: try row.decode(Int.self, at: 0), action: try row.decode(String.self, at: 1),
                    receivedAt: try row.decode(Date.self, at: 2),
                    assistantID: try row.decode(String.self, at: 3), orderID: try row.decode(String.self, at: 4),
                    participantID: try row.decode(String.self, at: 5),
                    start: try row.decode(Date.self, at: 6), end: try row.decode(Date.self, at: 7), activity: try row.decode(String.self, at: 8),
                    reason: try row.decode(String?.self, at: 9), eventID: try row.decode(String.self, at: 10),
                    outcome: outcome ?? "pending", code: try row.decode(String?.self, at: 12), message: try row.decode(String?.self, at: 13),
                    minutes: try row.decode(Int?.self, at: 14), remainingMinutes: try row.decode(Int?.self, at: 15),
                    supersededBy: supersededBy, counts: outcome == "accepted" && supersededBy == nil, decidedAt: try row.decode(Date?.self, at: 17)
                )
            }
        }
    }

    /// The entries that count for a participant now, by start; one month's when given.
    func counted(participantID: ParticipantID, month: YearMonth?) async throws -> [CountedEntryView] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT provider_id, entry_id, sequence, assistant_id, order_id, start_at, end_at, minutes, month FROM entry_outcomes
                WHERE participant_id = \(participantID.rawValue) AND outcome = 'accepted' AND superseded_by IS NULL
                  AND (\(month?.description)::text IS NULL OR month = \(month?.description))
                ORDER BY start_at, provider_id, entry_id
                """
            ).map { row in
                CountedEntryView(
                    providerID: try row.decode(String.self, at: 0), entryID: try row.decode(String.self, at: 1),
                    sequence: try row.decode(Int.self, at: 2),
                    assistantID: try row.decode(String.self, at: 3), orderID: try row.decode(String.self, at: 4),
                    start: try row.decode(Date.self, at: 5), end: try row.decode(Date.self, at: 6), minutes: try row.decode(Int.self, at: 7),
                    month: try row.decode(String.self, at: 8))
            }
        }
    }
}
