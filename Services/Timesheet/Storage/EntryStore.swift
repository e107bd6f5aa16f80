import Domain
import FoundationEssentials
import Postgres
import ServiceRuntime

/// A version of an entry whose signature holds, with the bytes it came in.
struct SignedVersion: Sendable {
    var entry: TimesheetEntrySubmitted
    var eventID: String
    var record: [UInt8]
    var signature: String

    var key: VersionKey { VersionKey(entry: EntryKey(providerID: entry.providerID, entryID: entry.entryID), sequence: entry.sequence) }
}

struct VersionKey: Hashable, Sendable {
    var entry: EntryKey
    var sequence: Int
}

/// The answer to one version, as stored.
struct OutcomeRow: Sendable {
    var version: VersionKey
    var verdict: Verdict
    /// Set when a later version of the same batch superseded this accepted one.
    var supersededBy: Int?
}

/// The batch path's SQL: a fixed handful of statements per batch, whatever its size.
struct EntryStore: Sendable {
    var policy: TimesheetPolicy

    // MARK: - Signatures

    func keys(_ ids: [String], on connection: PostgresConnection) async throws -> [String: SigningKey] {
        guard !ids.isEmpty else { return [:] }
        var keys: [String: SigningKey] = [:]
        for row in try await connection.query("SELECT key_id, provider_id, secret, expires_at FROM signing_keys WHERE key_id = ANY(\(ids)::text[])") {
            let key = SigningKey(
                keyID: try row.decode(String.self, at: 0), providerID: ProviderID(try row.decode(String.self, at: 1)),
                secret: try row.decode([UInt8].self, at: 2), expiresAt: try row.decode(Date?.self, at: 3))
            keys[key.keyID] = key
        }
        return keys
    }

    func recordSignatureFailures(
        _ failures: [(entry: TimesheetEntrySubmitted, eventID: String, message: String)], on connection: PostgresConnection
    ) async throws {
        guard !failures.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO signature_failures (provider_id, entry_id, sequence, event_id, message)
            SELECT * FROM unnest(\(failures.map(\.entry.providerID.rawValue))::text[], \(failures.map(\.entry.entryID))::text[],
                                 \(failures.map(\.entry.sequence))::int[], \(failures.map(\.eventID))::text[], \(failures.map(\.message))::text[])
            """)
    }

    // MARK: - Insert first

    /// Stores the versions not stored before and returns their keys: a version
    /// whose (provider, entry, sequence) exists is a resend and gets no answer.
    func insertVersions(_ versions: [SignedVersion], on connection: PostgresConnection) async throws -> Set<VersionKey> {
        guard !versions.isEmpty else { return [] }
        let entries = versions.map(\.entry)
        let rows = try await connection.query(
            """
            INSERT INTO entry_versions (provider_id, entry_id, sequence, action, assistant_id, order_id, participant_id,
                                        start_at, end_at, activity, reason, event_id, record, signature)
            SELECT * FROM unnest(\(entries.map(\.providerID.rawValue))::text[], \(entries.map(\.entryID))::text[], \(entries.map(\.sequence))::int[],
                                 \(entries.map(\.action.rawValue))::text[], \(entries.map(\.assistantID.rawValue))::text[], \(entries.map(\.orderID.rawValue))::text[],
                                 \(entries.map(\.participantID.rawValue))::text[], \(entries.map(\.start))::timestamptz[], \(entries.map(\.end))::timestamptz[],
                                 \(entries.map(\.activity.rawValue))::text[], \(entries.map(\.reason))::text[], \(versions.map(\.eventID))::text[],
                                 \(versions.map(\.record))::bytea[], \(versions.map(\.signature))::text[])
            ON CONFLICT DO NOTHING
            RETURNING provider_id, entry_id, sequence
            """)
        var fresh = Set<VersionKey>()
        for row in rows {
            fresh.insert(
                VersionKey(
                    entry: EntryKey(providerID: ProviderID(try row.decode(String.self, at: 0)), entryID: try row.decode(String.self, at: 1)),
                    sequence: try row.decode(Int.self, at: 2)))
        }
        return fresh
    }

    // MARK: - The ledger a batch is checked against

    /// Locks the batch's assistants and participants (in id order, assistants
    /// first, so replicas never wait on each other in a cycle) and the editions
    /// (shared, so no month closes mid-batch), then loads what the rules need: the
    /// providers, orders, grants, closed months and register the batch names, the
    /// entries' earlier versions, the counted entries near them and each
    /// participant's usage. Eleven statements, one round trip: the transaction's
    /// fixed cost is what a small batch pays for.
    func ledger(for entries: [TimesheetEntrySubmitted], on connection: PostgresConnection) async throws -> Ledger {
        var ledger = Ledger(policy: policy)
        guard !entries.isEmpty else { return ledger }
        let participantIDs = Array(Set(entries.map(\.participantID.rawValue))).sorted()
        let assistantIDs = Array(Set(entries.map(\.assistantID.rawValue))).sorted()
        let providerIDs = Array(Set(entries.map(\.providerID.rawValue)))
        let orderIDs = Array(Set(entries.map(\.orderID.rawValue)))
        let answers = try await connection.pipeline([
            """
            SELECT edition_id, period_start::text, period_end::text, assistant_daily_limit_hours,
                   array_to_string(required_qualifications, ',')
            FROM editions ORDER BY edition_id FOR SHARE
            """,
            "SELECT assistant_id, provider_id FROM assistants WHERE assistant_id = ANY(\(assistantIDs)::text[]) ORDER BY assistant_id FOR UPDATE",
            "SELECT participant_id FROM participants WHERE participant_id = ANY(\(participantIDs)::text[]) ORDER BY participant_id FOR UPDATE",
            "SELECT provider_id FROM providers WHERE provider_id = ANY(\(providerIDs)::text[])",
            """
            SELECT order_id, participant_id, edition_id, start_at, end_at, provider_id, assistant_id, cancelled_at
            FROM orders WHERE order_id = ANY(\(orderIDs)::text[])
            """,
            """
            SELECT grant_id, participant_id, edition_id, hours, period_start::text, period_end::text, revoked_on::text
            FROM grants WHERE participant_id = ANY(\(participantIDs)::text[])
            """,
            "SELECT edition_id, month FROM closed_months",
            """
            SELECT assistant_id, kind, obtained_on::text, valid_until::text FROM assistant_qualifications
            WHERE assistant_id = ANY(\(assistantIDs)::text[])
            """,
            Self.histories(of: entries),
            Self.countedNearby(entries),
            "SELECT participant_id, edition_id, minutes FROM participant_usage WHERE participant_id = ANY(\(participantIDs)::text[])",
        ])
        for row in answers[0] {
            let id = EditionID(try row.decode(String.self, at: 0))
            ledger.editions[id] = EditionFacts(
                id: id, period: DateRange(start: try row.decode(CalendarDate.self, at: 1), end: try row.decode(CalendarDate.self, at: 2)),
                assistantDailyLimitHours: try row.decode(Int.self, at: 3),
                requiredQualifications: try (row.decode(String?.self, at: 4) ?? "").split(separator: ",").compactMap {
                    QualificationKind(rawValue: String($0))
                })
        }
        for row in answers[1] {
            ledger.assistants[AssistantID(try row.decode(String.self, at: 0))] = ProviderID(try row.decode(String.self, at: 1))
        }
        for row in answers[3] {
            ledger.providers.insert(ProviderID(try row.decode(String.self, at: 0)))
        }
        for row in answers[4] {
            let providerID = try row.decode(String?.self, at: 5)
            let assistantID = try row.decode(String?.self, at: 6)
            let order = OrderFacts(
                orderID: OrderID(try row.decode(String.self, at: 0)), participantID: ParticipantID(try row.decode(String.self, at: 1)),
                editionID: EditionID(try row.decode(String.self, at: 2)), start: try row.decode(Date.self, at: 3),
                end: try row.decode(Date.self, at: 4),
                providerID: providerID.map { ProviderID($0) }, assistantID: assistantID.map { AssistantID($0) },
                cancelledAt: try row.decode(Date?.self, at: 7))
            ledger.orders[order.orderID] = order
        }
        for row in answers[5] {
            let grant = GrantFacts(
                grantID: GrantID(try row.decode(String.self, at: 0)), participantID: ParticipantID(try row.decode(String.self, at: 1)),
                editionID: EditionID(try row.decode(String.self, at: 2)), hours: try row.decode(Int.self, at: 3),
                period: DateRange(start: try row.decode(CalendarDate.self, at: 4), end: try row.decode(CalendarDate.self, at: 5)),
                revokedOn: try row.decode(CalendarDate?.self, at: 6))
            ledger.grants[grant.participantID, default: []].append(grant)
        }
        for row in answers[6] {
            ledger.closedMonths.insert(ClosedMonth(editionID: try row.decode(EditionID.self, at: 0), month: try row.decode(YearMonth.self, at: 1)))
        }
        for row in answers[7] {
            let assistantID = AssistantID(try row.decode(String.self, at: 0))
            guard let kind = QualificationKind(rawValue: try row.decode(String.self, at: 1)), let providerID = ledger.assistants[assistantID]
            else { continue }
            ledger.qualifications[assistantID, default: [:]][kind] = AssistantQualificationRecorded(
                assistantID: assistantID, providerID: providerID, kind: kind,
                obtainedOn: try row.decode(CalendarDate.self, at: 2), validUntil: try row.decode(CalendarDate?.self, at: 3))
        }
        for row in answers[8] {
            let key = EntryKey(providerID: ProviderID(try row.decode(String.self, at: 0)), entryID: try row.decode(String.self, at: 1))
            let sequence = try row.decode(Int.self, at: 2)
            let outcome = try row.decode(String.self, at: 12)
            var history = ledger.histories[key] ?? EntryHistory(highestSequence: sequence, voidedBy: nil, counted: nil)
            history.highestSequence = max(history.highestSequence, sequence)
            if outcome == "voided" { history.voidedBy = sequence }
            if outcome == "accepted", try row.decode(Int?.self, at: 13) == nil { history.counted = try counted(row) }
            ledger.histories[key] = history
        }
        // An entry near both its assistant's and its participant's windows comes twice: read it once.
        var loaded = Set<VersionKey>()
        for row in answers[9] {
            let key = VersionKey(
                entry: EntryKey(providerID: ProviderID(try row.decode(String.self, at: 0)), entryID: try row.decode(String.self, at: 1)),
                sequence: try row.decode(Int.self, at: 2))
            if loaded.insert(key).inserted { ledger.addCounted(try counted(row)) }
        }
        for row in answers[10] {
            let key = Ledger.ParticipantEdition(
                participantID: ParticipantID(try row.decode(String.self, at: 0)), editionID: EditionID(try row.decode(String.self, at: 1)))
            ledger.loadUsedMinutes(Int(try row.decode(Int64.self, at: 2)), for: key)
        }
        return ledger
    }

    /// Earlier versions of the batch's entries.
    private static func histories(of entries: [TimesheetEntrySubmitted]) -> PostgresQuery {
        let keys = Array(Set(entries.map { EntryKey(providerID: $0.providerID, entryID: $0.entryID) }))
        return """
            SELECT provider_id, entry_id, sequence, assistant_id, participant_id, order_id, edition_id, start_at, end_at, month, expenses::text, minutes, outcome, superseded_by
            FROM entry_outcomes
            WHERE (provider_id, entry_id) IN (SELECT * FROM unnest(\(keys.map(\.providerID.rawValue))::text[], \(keys.map(\.entryID))::text[]))
            """
    }

    /// Counted entries the rules can look at: for each assistant, those within
    /// 24 hours of one of its entries (the 24-hour rule); for each participant,
    /// those overlapping one of its entries. Each side's windows are merged, so
    /// the query reads a few narrow index ranges however long the batch spans.
    /// An entry spans at most 24 hours (the contract), which bounds `start_at` below.
    /// Each window is its own index range scan (LATERAL … OFFSET 0 keeps the planner
    /// from flattening it): on a young table without statistics, PostgreSQL had
    /// hashed the whole index instead, every batch, so a backlog slowed as it grew.
    private static func countedNearby(_ entries: [TimesheetEntrySubmitted]) -> PostgresQuery {
        let day = DailyLimit.window
        let assistantWindows = Self.mergedWindows(
            entries.map { ($0.assistantID.rawValue, $0.start.addingTimeInterval(-day), $0.end.addingTimeInterval(day)) })
        let participantWindows = Self.mergedWindows(entries.map { ($0.participantID.rawValue, $0.start, $0.end) })
        return """
            SELECT o.* FROM unnest(\(assistantWindows.map(\.id))::text[], \(assistantWindows.map(\.low))::timestamptz[], \(assistantWindows.map(\.high))::timestamptz[]) AS w(id, low, high)
            CROSS JOIN LATERAL (
                SELECT provider_id, entry_id, sequence, assistant_id, participant_id, order_id, edition_id, start_at, end_at, month, expenses::text, minutes
                FROM entry_outcomes
                WHERE assistant_id = w.id AND start_at < w.high AND start_at > w.low - interval '24 hours' AND end_at > w.low
                  AND outcome = 'accepted' AND superseded_by IS NULL
                OFFSET 0) o
            UNION ALL
            SELECT o.* FROM unnest(\(participantWindows.map(\.id))::text[], \(participantWindows.map(\.low))::timestamptz[], \(participantWindows.map(\.high))::timestamptz[]) AS w(id, low, high)
            CROSS JOIN LATERAL (
                SELECT provider_id, entry_id, sequence, assistant_id, participant_id, order_id, edition_id, start_at, end_at, month, expenses::text, minutes
                FROM entry_outcomes
                WHERE participant_id = w.id AND start_at < w.high AND start_at > w.low - interval '24 hours' AND end_at > w.low
                  AND outcome = 'accepted' AND superseded_by IS NULL
                OFFSET 0) o
            """
    }

    /// Reads the columns every query of counted entries selects first, in this order:
    /// provider_id, entry_id, sequence, assistant_id, participant_id, order_id, edition_id, start_at, end_at, month, expenses.
    private func counted(_ row: PostgresRow) throws -> CountedEntry {
        CountedEntry(
            key: EntryKey(providerID: ProviderID(try row.decode(String.self, at: 0)), entryID: try row.decode(String.self, at: 1)),
            sequence: try row.decode(Int.self, at: 2),
            assistantID: AssistantID(try row.decode(String.self, at: 3)), participantID: ParticipantID(try row.decode(String.self, at: 4)),
            orderID: OrderID(try row.decode(String.self, at: 5)), editionID: EditionID(try row.decode(String.self, at: 6)),
            start: try row.decode(Date.self, at: 7), end: try row.decode(Date.self, at: 8),
            month: YearMonth(try row.decode(String.self, at: 9)) ?? YearMonth(year: 1900, month: 1)!,
            expenses: try row.decode(String?.self, at: 10).flatMap { try? JSONDecoder().decode(Expenses.self, from: Data($0.utf8)) }
        )
    }

    /// Each id's time windows, sorted and with overlapping ones joined.
    static func mergedWindows(_ windows: [(id: String, low: Date, high: Date)]) -> [(id: String, low: Date, high: Date)] {
        var merged: [(id: String, low: Date, high: Date)] = []
        for window in windows.sorted(by: { ($0.id, $0.low) < ($1.id, $1.low) }) {
            if let last = merged.last, last.id == window.id, window.low <= last.high {
                merged[merged.count - 1].high = max(last.high, window.high)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    // MARK: - Answers

    /// Stores the batch's answers and marks the counted versions they replaced.
    func saveOutcomes(
        _ rows: [OutcomeRow], superseded: [(VersionKey, by: Int)], usage: [Ledger.ParticipantEdition: Int],
        on connection: PostgresConnection
    ) async throws {
        if !rows.isEmpty {
            var outcome: [String] = []
            var code: [String?] = []
            var message: [String?] = []
            var assistant: [String?] = []
            var participant: [String?] = []
            var order: [String?] = []
            var edition: [String?] = []
            var start: [Date?] = []
            var end: [Date?] = []
            var minutes: [Int?] = []
            var month: [String?] = []
            var expenses: [String?] = []
            var remaining: [Int?] = []
            var supersedes: [Int?] = []
            for row in rows {
                var entry: CountedEntry?
                switch row.verdict {
                case let .rejected(rejection, text):
                    outcome.append("rejected")
                    code.append(rejection.rawValue)
                    message.append(text)
                    remaining.append(nil)
                    supersedes.append(nil)
                case let .accepted(counted, left):
                    outcome.append("accepted")
                    code.append(nil)
                    message.append(nil)
                    remaining.append(left)
                    supersedes.append(nil)
                    entry = counted
                case let .corrected(counted, previous, left):
                    outcome.append("accepted")
                    code.append(nil)
                    message.append(nil)
                    remaining.append(left)
                    supersedes.append(previous.sequence)
                    entry = counted
                case let .voided(previous, left):
                    outcome.append("voided")
                    code.append(nil)
                    message.append(nil)
                    remaining.append(left)
                    supersedes.append(previous.sequence)
                }
                assistant.append(entry?.assistantID.rawValue)
                participant.append(entry?.participantID.rawValue)
                order.append(entry?.orderID.rawValue)
                edition.append(entry?.editionID.rawValue)
                start.append(entry?.start)
                end.append(entry?.end)
                minutes.append(entry?.minutes)
                month.append(entry?.month.description)
                expenses.append(try entry?.expenses.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
            }
            try await connection.execute(
                """
                INSERT INTO entry_outcomes (provider_id, entry_id, sequence, outcome, code, message, assistant_id, participant_id, order_id, edition_id,
                                            start_at, end_at, minutes, month, expenses, remaining_minutes, supersedes, superseded_by)
                SELECT * FROM unnest(\(rows.map(\.version.entry.providerID.rawValue))::text[], \(rows.map(\.version.entry.entryID))::text[],
                                     \(rows.map(\.version.sequence))::int[], \(outcome)::text[], \(code)::text[], \(message)::text[],
                                     \(assistant)::text[], \(participant)::text[], \(order)::text[], \(edition)::text[],
                                     \(start)::timestamptz[], \(end)::timestamptz[], \(minutes)::int[], \(month)::text[], \(expenses)::jsonb[],
                                     \(remaining)::int[], \(supersedes)::int[], \(rows.map(\.supersededBy))::int[])
                """)
        }
        try await addUsage(usage, on: connection)
        if !superseded.isEmpty {
            try await connection.execute(
                """
                UPDATE entry_outcomes o SET superseded_by = u.by
                FROM unnest(\(superseded.map(\.0.entry.providerID.rawValue))::text[], \(superseded.map(\.0.entry.entryID))::text[],
                            \(superseded.map(\.0.sequence))::int[], \(superseded.map(\.by))::int[]) AS u(provider_id, entry_id, sequence, by)
                WHERE o.provider_id = u.provider_id AND o.entry_id = u.entry_id AND o.sequence = u.sequence
                """)
        }
    }
}

extension EntryStore {
    /// Moves each participant's counted minutes by the batch's change (`Ledger.usageChanges`).
    private func addUsage(_ changes: [Ledger.ParticipantEdition: Int], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        let sorted = changes.sorted {
            ($0.key.participantID.rawValue, $0.key.editionID.rawValue) < ($1.key.participantID.rawValue, $1.key.editionID.rawValue)
        }
        try await connection.execute(
            """
            INSERT INTO participant_usage (participant_id, edition_id, minutes)
            SELECT * FROM unnest(\(sorted.map(\.key.participantID.rawValue))::text[], \(sorted.map(\.key.editionID.rawValue))::text[], \(sorted.map(\.value))::bigint[])
            ON CONFLICT (participant_id, edition_id) DO UPDATE SET minutes = participant_usage.minutes + EXCLUDED.minutes
            """)
    }
}
