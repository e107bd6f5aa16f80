import Domain
import FoundationEssentials
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

    /// An NGO's entries, each as its newest version with that version's answer and the
    /// entry's open contest: rejected first, then contested, then by start. A month
    /// (of the newest version's start, in the programme's time) and an assistant narrow it.
    func entries(of providerID: ProviderID, month: YearMonth?, assistantID: AssistantID?, limit: Int) async throws -> [ProviderEntryView] {
        let from = month?.firstDay.startOfDay()
        let until = month?.lastDay.adding(days: 1).startOfDay()
        return try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT l.entry_id, l.sequence, l.action, l.assistant_id, l.order_id, l.participant_id, l.start_at, l.end_at, l.activity,
                       o.outcome, o.code, o.message, o.minutes,
                       EXISTS (SELECT 1 FROM entry_outcomes c WHERE c.provider_id = l.provider_id AND c.entry_id = l.entry_id
                                 AND c.outcome = 'accepted' AND c.superseded_by IS NULL),
                       ct.reason, ct.comment, ct.contested_at
                FROM (SELECT DISTINCT ON (entry_id) * FROM entry_versions WHERE provider_id = \(providerID.rawValue)
                      ORDER BY entry_id, sequence DESC) l
                LEFT JOIN entry_outcomes o USING (provider_id, entry_id, sequence)
                LEFT JOIN contests ct ON ct.provider_id = l.provider_id AND ct.entry_id = l.entry_id AND ct.settled_at IS NULL
                WHERE (\(assistantID?.rawValue)::text IS NULL OR l.assistant_id = \(assistantID?.rawValue))
                  AND (\(from)::timestamptz IS NULL OR (l.start_at >= \(from) AND l.start_at < \(until)))
                ORDER BY (o.outcome = 'rejected') DESC NULLS LAST, (ct.reason IS NOT NULL) DESC, l.start_at DESC, l.entry_id
                LIMIT \(limit)
                """
            ).map { row in
                ProviderEntryView(
                    entryID: try row.decode(String.self, at: 0), sequence: try row.decode(Int.self, at: 1),
                    action: try row.decode(String.self, at: 2),
                    assistantID: try row.decode(String.self, at: 3), orderID: try row.decode(String.self, at: 4),
                    participantID: try row.decode(String.self, at: 5), start: try row.decode(Date.self, at: 6), end: try row.decode(Date.self, at: 7),
                    activity: try row.decode(String.self, at: 8), outcome: try row.decode(String?.self, at: 9) ?? "pending",
                    code: try row.decode(String?.self, at: 10), message: try row.decode(String?.self, at: 11),
                    minutes: try row.decode(Int?.self, at: 12), counts: try row.decode(Bool.self, at: 13),
                    contest: try row.decode(String?.self, at: 14).map { reason in
                        CardView.Contest(
                            reason: reason, comment: try row.decode(String?.self, at: 15), contestedAt: try row.decode(Date.self, at: 16),
                            outcome: nil)
                    })
            }
        }
    }
}

/// An NGO's entry as its list shows it: the newest version and its answer.
struct ProviderEntryView: Codable, Sendable, Equatable {
    var entryID: String
    var sequence: Int
    var action: String
    var assistantID: String
    var orderID: String
    var participantID: String
    var start: Date
    var end: Date
    var activity: String
    /// accepted, voided, rejected, or pending while its batch commits.
    var outcome: String
    var code: String?
    var message: String?
    var minutes: Int?
    /// Whether a version of the entry counts now (after a rejected correction, the earlier one still does).
    var counts: Bool
    /// The participant's open contest of the version that counts.
    var contest: CardView.Contest?
}
