import Domain
import Foundation
import Postgres
import ServiceRuntime

struct StoredGrant: Sendable {
    var window: GrantWindow
    var hours: Int
}

extension OrderingStore {
    /// One snapshot for orders and deliveries, so a delivery committing between
    /// the two reads cannot count its minutes twice (reserved and delivered).
    func allowance(of participantID: ParticipantID, editionID: EditionID?) async throws -> AllowanceRecord? {
        try await pool.withTransaction(isolation: .repeatableRead) { connection in
            let grants = try await Self.grants(of: participantID, on: connection, lock: false)
            let chosen =
                editionID.map { edition in grants.first { $0.window.editionID == edition } }
                ?? grants.max { $0.window.period.start < $1.window.period.start }
            guard let grant = chosen else { return nil }
            let allowance = try await Self.allowance(
                participantID: participantID, editionID: grant.window.editionID, grantedHours: grant.hours, on: connection)
            return AllowanceRecord(
                participantID: participantID, editionID: grant.window.editionID, grantID: grant.window.grantID,
                period: grant.window.period, revokedOn: grant.window.revokedOn,
                grantedMinutes: allowance.grantedMinutes, reservedMinutes: allowance.reservedMinutes,
                deliveredMinutes: allowance.deliveredMinutes, remainingMinutes: allowance.remainingMinutes)
        }
    }

    /// The participant's grants, oldest first; `lock` holds them until the transaction ends.
    static func grants(of participantID: ParticipantID, on connection: PostgresConnection, lock: Bool) async throws -> [StoredGrant] {
        let rows =
            lock
            ? try await connection.query(
                """
                SELECT grant_id, edition_id, granted_hours, period_start::text, period_end::text, revoked_on::text
                FROM grants WHERE participant_id = \(participantID.rawValue) ORDER BY period_start FOR UPDATE
                """)
            : try await connection.query(
                """
                SELECT grant_id, edition_id, granted_hours, period_start::text, period_end::text, revoked_on::text
                FROM grants WHERE participant_id = \(participantID.rawValue) ORDER BY period_start
                """)
        return try rows.map { row in
            StoredGrant(
                window: GrantWindow(
                    grantID: GrantID(try row.decode(String.self, at: 0)),
                    editionID: EditionID(try row.decode(String.self, at: 1)),
                    period: DateRange(start: try row.decode(CalendarDate.self, at: 3), end: try row.decode(CalendarDate.self, at: 4)),
                    revokedOn: try row.decode(CalendarDate?.self, at: 5)),
                hours: try row.decode(Int.self, at: 2))
        }
    }

    /// The allowance rule applied to what is stored for the participant in the edition.
    static func allowance(
        participantID: ParticipantID, editionID: EditionID, grantedHours: Int, on connection: PostgresConnection
    ) async throws -> Allowance {
        let orders = try await connection.query(
            """
            SELECT minutes, status <> 'cancelled', delivered_minutes FROM order_view
            WHERE participant_id = \(participantID.rawValue) AND edition_id = \(editionID.rawValue)
            """
        ).map { row in
            Allowance.OrderLoad(
                minutes: try row.decode(Int.self, at: 0), isOpen: try row.decode(Bool.self, at: 1), deliveredMinutes: try row.decode(Int.self, at: 2))
        }
        let delivered = try await connection.query(
            """
            SELECT COALESCE(sum(minutes), 0)::bigint FROM deliveries
            WHERE participant_id = \(participantID.rawValue) AND edition_id = \(editionID.rawValue)
            """
        ).first!.decode(Int.self, at: 0)
        return Allowance(grantedHours: grantedHours, orders: orders, deliveredMinutes: delivered)
    }
}
