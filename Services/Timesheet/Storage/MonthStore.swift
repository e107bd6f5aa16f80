import Domain
import FoundationEssentials
import Messaging
import Postgres

/// Closed months in PostgreSQL; closing one announces `MonthClosed` in the same transaction.
struct MonthStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    func close(_ month: YearMonth, of editionID: EditionID) async throws -> MonthClosing {
        try await pool.withTransaction { connection in
            // The edition's row lock waits for batches in flight (they hold it shared).
            let editions = try await connection.query(
                """
                SELECT period_start::text, period_end::text FROM editions WHERE edition_id = \(editionID.rawValue) FOR UPDATE
                """)
            guard let edition = editions.first else { return .unknownEdition }
            let period = DateRange(
                start: CalendarDate(try edition.decode(String.self, at: 0))!, end: CalendarDate(try edition.decode(String.self, at: 1))!)
            guard period.start.yearMonth <= month, month <= period.end.yearMonth else { return .outsideEdition(period) }
            let inserted = try await connection.query(
                """
                INSERT INTO closed_months (edition_id, month) VALUES (\(editionID.rawValue), \(month.description))
                ON CONFLICT DO NOTHING RETURNING closed_at
                """)
            if let row = inserted.first {
                let closedAt = try row.decode(Date.self, at: 0)
                try await outbox.append(MonthClosed(editionID: editionID, month: month, closedAt: closedAt), on: connection)
                return .closed(closedAt)
            }
            let existing = try await connection.query(
                "SELECT closed_at FROM closed_months WHERE edition_id = \(editionID.rawValue) AND month = \(month.description)")
            return .alreadyClosed(try existing.first!.decode(Date.self, at: 0))
        }
    }

    /// What a month holds before it is closed, per NGO: visits confirmed by their
    /// participants (or decided to stand), contested, not yet confirmed, and entries
    /// whose newest version was rejected (by that version's start).
    func summary(of month: YearMonth, in editionID: EditionID) async throws -> MonthSummary {
        try await pool.withConnection { connection in
            let closedAt = try await connection.query(
                "SELECT closed_at FROM closed_months WHERE edition_id = \(editionID.rawValue) AND month = \(month.description)"
            ).first.map { try $0.decode(Date.self, at: 0) }
            var providers: [String: MonthSummary.Provider] = [:]
            for row in try await connection.query(
                """
                SELECT o.provider_id,
                       count(*) FILTER (WHERE s.state = 'confirmed')::int, coalesce(sum(o.minutes) FILTER (WHERE s.state = 'confirmed'), 0)::int,
                       count(*) FILTER (WHERE s.state = 'contested')::int, coalesce(sum(o.minutes) FILTER (WHERE s.state = 'contested'), 0)::int,
                       count(*) FILTER (WHERE s.state = 'unconfirmed')::int, coalesce(sum(o.minutes) FILTER (WHERE s.state = 'unconfirmed'), 0)::int
                FROM entry_outcomes o
                LEFT JOIN confirmed_versions cv USING (provider_id, entry_id, sequence)
                LEFT JOIN contests c USING (provider_id, entry_id, sequence)
                CROSS JOIN LATERAL (SELECT CASE WHEN c.sequence IS NOT NULL AND c.settled_at IS NULL THEN 'contested'
                                                WHEN cv.sequence IS NOT NULL OR c.outcome = 'stands' THEN 'confirmed'
                                                ELSE 'unconfirmed' END AS state) s
                WHERE o.edition_id = \(editionID.rawValue) AND o.month = \(month.description) AND o.outcome = 'accepted' AND o.superseded_by IS NULL
                GROUP BY o.provider_id
                """)
            {
                let id = try row.decode(String.self, at: 0)
                providers[id] = MonthSummary.Provider(
                    providerID: id, confirmed: try .init(visits: row.decode(Int.self, at: 1), minutes: row.decode(Int.self, at: 2)),
                    contested: try .init(visits: row.decode(Int.self, at: 3), minutes: row.decode(Int.self, at: 4)),
                    unconfirmed: try .init(visits: row.decode(Int.self, at: 5), minutes: row.decode(Int.self, at: 6)), rejectedEntries: 0)
            }
            let from = month.firstDay.startOfDay()
            let until = month.lastDay.adding(days: 1).startOfDay()
            for row in try await connection.query(
                """
                SELECT l.provider_id, count(*)::int
                FROM (SELECT DISTINCT ON (provider_id, entry_id) provider_id, entry_id, sequence, order_id, start_at FROM entry_versions
                      ORDER BY provider_id, entry_id, sequence DESC) l
                JOIN entry_outcomes o USING (provider_id, entry_id, sequence)
                JOIN orders ord ON ord.order_id = l.order_id
                WHERE o.outcome = 'rejected' AND ord.edition_id = \(editionID.rawValue) AND l.start_at >= \(from) AND l.start_at < \(until)
                GROUP BY l.provider_id
                """)
            {
                let id = try row.decode(String.self, at: 0)
                providers[id, default: .init(providerID: id, confirmed: .zero, contested: .zero, unconfirmed: .zero, rejectedEntries: 0)]
                    .rejectedEntries = try row.decode(Int.self, at: 1)
            }
            return MonthSummary(
                editionID: editionID.rawValue, month: month.description, closedAt: closedAt,
                providers: providers.values.sorted { $0.providerID < $1.providerID })
        }
    }
}

/// A month's state before closing (`MonthStore.summary`).
struct MonthSummary: Codable, Sendable, Equatable {
    struct Visits: Codable, Sendable, Equatable {
        var visits: Int
        var minutes: Int
        static let zero = Visits(visits: 0, minutes: 0)
    }

    struct Provider: Codable, Sendable, Equatable {
        var providerID: String
        var confirmed: Visits
        var contested: Visits
        var unconfirmed: Visits
        var rejectedEntries: Int
    }

    var editionID: String
    var month: String
    var closedAt: Date?
    var providers: [Provider]
}
