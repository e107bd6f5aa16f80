import Domain
import FoundationEssentials
import Postgres
import ServiceRuntime

struct StoredGrant: Sendable {
    var window: GrantWindow
    var hours: Int
    /// A statutory grant's months; nil for a programme grant.
    var monthly: MonthlyBudget?

    /// The columns `init(row:)` reads, first in the row.
    static let columns: PostgresQuery =
        "grant_id, edition_id, granted_hours, period_start::text, period_end::text, revoked_on::text, hours_per_month, carry_over"

    init(row: PostgresRow) throws {
        window = GrantWindow(
            grantID: GrantID(try row.decode(String.self, at: 0)), editionID: EditionID(try row.decode(String.self, at: 1)),
            period: DateRange(start: try row.decode(CalendarDate.self, at: 3), end: try row.decode(CalendarDate.self, at: 4)),
            revokedOn: try row.decode(CalendarDate?.self, at: 5))
        hours = try row.decode(Int.self, at: 2)
        // Statutory when `hours_per_month` is set: its months run to the last day covered.
        monthly = try row.decode(Int?.self, at: 6).map { [window] hoursPerMonth in
            MonthlyBudget(
                hoursPerMonth: hoursPerMonth, carryOver: try row.decode(Bool?.self, at: 7) ?? false, from: window.period.start,
                to: window.lastCoveredDay)
        }
    }
}

extension OrderingStore {
    /// One statement, so one snapshot for the grant, the orders and the deliveries (a
    /// delivery committing meanwhile cannot count its minutes twice, reserved and
    /// delivered) in one round trip: a read needs no transaction of its own. The grant
    /// is the edition's first when one is asked for, else the latest. The sums are
    /// `reservedAndDelivered`.
    func allowance(of participantID: ParticipantID, editionID: EditionID?) async throws -> AllowanceRecord? {
        let participant = participantID.rawValue
        let edition = editionID?.rawValue
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                """
                WITH chosen AS (
                    SELECT * FROM grants
                    WHERE participant_id = \(participant) AND edition_id = COALESCE(\(edition)::text, edition_id)
                    ORDER BY CASE WHEN \(edition)::text IS NULL THEN period_start END DESC NULLS LAST, period_start
                    LIMIT 1
                )
                SELECT \(fragment: StoredGrant.columns), \(fragment: Self.reservedAndDelivered(participantID, edition: "c.edition_id"))
                FROM chosen c
                """)
        }
        guard let row = rows.first else { return nil }
        let grant = try StoredGrant(row: row)
        let window = grant.window
        let editionID = window.editionID
        let allowance = Allowance(
            grantedMinutes: grant.hours * 60, reservedMinutes: try row.decode(Int.self, at: 8), deliveredMinutes: try row.decode(Int.self, at: 9))
        var monthly: MonthlyAllowance?
        if let budget = grant.monthly {
            // A statutory grant's months are a second read; a programme grant's allowance stays one statement.
            let use = try await pool.withConnection { try await Self.monthlyUse(of: participantID, editionID: editionID, on: $0) }
            let months = budget.ledger(use)
            monthly = MonthlyAllowance(
                hoursPerMonth: budget.minutesPerMonth / 60, carryOver: budget.carryOver, months: months,
                lapsingMinutes: MonthlyBudget.lapsing(months), lapsesAfter: window.lastCoveredDay)
        }
        return AllowanceRecord(
            participantID: participantID, editionID: editionID, grantID: window.grantID, period: window.period, revokedOn: window.revokedOn,
            grantedMinutes: allowance.grantedMinutes, reservedMinutes: allowance.reservedMinutes,
            deliveredMinutes: allowance.deliveredMinutes, remainingMinutes: allowance.remainingMinutes, monthly: monthly)
    }

    /// A participant's use of an edition by the month each order's service starts in
    /// (Polish time): an order reserves its minutes until hours are accounted for it,
    /// then counts those (`MonthlyBudget`).
    static func monthlyUse(
        of participantID: ParticipantID, editionID: EditionID, on connection: PostgresConnection
    ) async throws -> [YearMonth: MonthlyBudget.Use] {
        let rows = try await connection.query(
            """
            SELECT to_char(o.start_at AT TIME ZONE 'Europe/Warsaw', 'YYYY-MM'),
                   COALESCE(sum(o.minutes) FILTER (WHERE COALESCE(d.minutes, 0) = 0 AND o.status <> 'cancelled'), 0)::bigint,
                   COALESCE(sum(d.minutes), 0)::bigint
            FROM orders o LEFT JOIN LATERAL (SELECT sum(minutes) AS minutes FROM deliveries WHERE order_id = o.id) d ON true
            WHERE o.participant_id = \(participantID.rawValue) AND o.edition_id = \(editionID.rawValue)
            GROUP BY 1
            """)
        var use: [YearMonth: MonthlyBudget.Use] = [:]
        for row in rows {
            guard let month = YearMonth(try row.decode(String.self, at: 0)) else { continue }
            use[month] = MonthlyBudget.Use(reservedMinutes: try row.decode(Int.self, at: 1), deliveredMinutes: try row.decode(Int.self, at: 2))
        }
        return use
    }

    /// The participant's grants, oldest first, held until the transaction ends, each with
    /// the allowance of its edition. The sums are a second statement, sent with the lock in
    /// one round trip: it starts once the lock is held, so it counts every order committed by
    /// whoever held it before (a sum in the locking statement would read its older snapshot).
    static func lockedGrants(
        of participantID: ParticipantID, on connection: PostgresConnection
    ) async throws -> [(grant: StoredGrant, allowance: Allowance)] {
        let answers = try await connection.pipeline([
            """
            SELECT \(fragment: StoredGrant.columns) FROM grants WHERE participant_id = \(participantID.rawValue) ORDER BY period_start FOR UPDATE
            """,
            """
            SELECT e.edition_id, \(fragment: reservedAndDelivered(participantID, edition: "e.edition_id"))
            FROM (SELECT DISTINCT edition_id FROM grants WHERE participant_id = \(participantID.rawValue)) e
            """,
        ])
        var used: [String: (reserved: Int, delivered: Int)] = [:]
        for row in answers[1] {
            used[try row.decode(String.self, at: 0)] = (try row.decode(Int.self, at: 1), try row.decode(Int.self, at: 2))
        }
        return try answers[0].map { row in
            let grant = try StoredGrant(row: row)
            let use = used[grant.window.editionID.rawValue] ?? (0, 0)
            return (grant, Allowance(grantedMinutes: grant.hours * 60, reservedMinutes: use.reserved, deliveredMinutes: use.delivered))
        }
    }

    /// The minutes a participant's open orders reserve (an order reserves until it is
    /// delivered) and those delivered, in the edition `edition` names (an SQL
    /// expression): two columns, one snapshot with the statement around them.
    static func reservedAndDelivered(_ participantID: ParticipantID, edition: PostgresQuery) -> PostgresQuery {
        """
        (SELECT COALESCE(sum(o.minutes), 0)::bigint FROM orders o
         WHERE o.participant_id = \(participantID.rawValue) AND o.edition_id = \(fragment: edition) AND o.status <> 'cancelled'
           AND COALESCE((SELECT sum(d.minutes) FROM deliveries d WHERE d.order_id = o.id), 0) = 0),
        (SELECT COALESCE(sum(d.minutes), 0)::bigint FROM deliveries d
         WHERE d.participant_id = \(participantID.rawValue) AND d.edition_id = \(fragment: edition))
        """
    }
}
