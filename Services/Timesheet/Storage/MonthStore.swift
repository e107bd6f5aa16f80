import Domain
import Foundation
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
}
