import Domain
import FoundationEssentials
import Postgres
import ServiceRuntime

/// Reads the read models in one repeatable-read transaction, so every table of a
/// report sees the same state. Each query touches small tables (sums per month ×
/// provider × participant, per assistant × month), never the timesheet entries.
struct ReportStore: Sendable {
    let pool: PostgresPool

    func lastEventTime() async throws -> Date? {
        try await pool.withConnection { connection in
            let rows = try await connection.query("SELECT last_event_time_us FROM applied_state")
            guard let value = try rows.first?.decode(Int64.self, at: 0), value > 0 else { return nil }
            return Date(microseconds: value)
        }
    }

    func snapshot(edition id: EditionID, range resolve: @Sendable (DateRange) throws -> MonthRange) async throws -> ReadModelSnapshot? {
        try await pool.withTransaction(isolation: .repeatableRead) { connection in
            guard let edition = try await editionFacts(id, on: connection) else { return nil }
            let range = try resolve(edition.period)
            return try await snapshot(edition: edition, range: range, on: connection)
        }
    }

    func editionFacts(_ id: EditionID, on connection: PostgresConnection) async throws -> EditionFacts? {
        let rows = try await connection.query("SELECT rules FROM editions WHERE edition_id = \(id.rawValue)")
        guard let json = try rows.first?.decode(String.self, at: 0) else { return nil }
        var facts = EditionFacts(try JSONDecoder().decode(EditionRules.self, from: Data(json.utf8)))
        let providers = try await connection.query(
            """
            SELECT provider_id, name, COALESCE(edition_rate, registered_rate) FROM edition_providers
            WHERE edition_id = \(id.rawValue) ORDER BY provider_id
            """)
        facts.providers = try providers.map { row in
            ProviderFacts(
                id: ProviderID(try row.decode(String.self, at: 0)), name: try row.decode(String.self, at: 1),
                contractedRate: Money(grosze: try row.decode(Int64.self, at: 2)))
        }
        return facts
    }

    private func snapshot(edition: EditionFacts, range: MonthRange, on connection: PostgresConnection) async throws -> ReadModelSnapshot {
        let closed = try await closedMonths(of: edition.id, on: connection)
        // A range of closed months sees grants and revocations as they stood when the last of them closed.
        let rangeClosedAt = range.months.map { closed[$0] }
        let asOf: Int64 = rangeClosedAt.contains(nil) ? Int64.max : rangeClosedAt.compactMap { $0?.microseconds }.max() ?? Int64.max
        let participants = try await participants(of: edition.id, in: range, asOf: asOf, on: connection)
        let (monthActivity, assistantsInRange) = try await activity(of: edition.id, in: range, on: connection)
        let (late, lateBase) = try await lateChanges(of: edition.id, on: connection)
        let (ratings, rated) = try await ratings(of: edition.id, in: range, on: connection)
        return ReadModelSnapshot(
            edition: edition, range: range, closedMonths: closed, deliveries: try await deliveries(of: edition.id, in: range, on: connection),
            participants: participants, monthActivity: monthActivity,
            rangeActivity: ActivityCounts(participantsServed: participants.reduce(0) { $0 + $1.served }, assistantsActive: assistantsInRange),
            assistantExpenses: try await expenses(of: edition.id, in: range, on: connection), lateChanges: late, lateBaseExpenses: lateBase,
            ratings: ratings, ratedServices: rated, orders: try await orders(of: edition.id, in: range, on: connection),
            confirmations: try await confirmations(of: edition.id, in: range, on: connection))
    }

    /// Each participant's latest grant in the edition: the group they are reported under.
    private static func latestGrants(in edition: EditionID) -> PostgresQuery {
        """
        latest AS (
            SELECT DISTINCT ON (participant_id) participant_id, category, multiple FROM grants WHERE edition_id = \(edition.rawValue)
            ORDER BY participant_id, granted_on DESC, grant_id DESC
        )
        """
    }

    // MARK: - Settlements

    /// What a settlement request finds.
    enum SettlementAnswer: Sendable {
        case unknownEdition
        case unreadableMonth
        case outsideEdition(DateRange)
        /// Not closed yet; providers report by the deadline, if the edition has one.
        case open(deadline: CalendarDate?)
        case settled(Settlement)
    }

    /// A closed month's settlement, read in one repeatable-read transaction. The edition
    /// is looked up first, so an unknown one is not found whatever the month says.
    func settlement(edition id: EditionID, month: YearMonth?) async throws -> SettlementAnswer {
        try await pool.withTransaction(isolation: .repeatableRead) { connection in
            guard let edition = try await editionFacts(id, on: connection) else { return .unknownEdition }
            guard let month else { return .unreadableMonth }
            guard edition.period.start.yearMonth <= month, month <= edition.period.end.yearMonth else { return .outsideEdition(edition.period) }
            guard let closedAt = try await closedMonths(of: id, on: connection)[month] else {
                return .open(deadline: edition.settlementDeadline(of: month))
            }
            let rows = try await connection.query(
                """
                SELECT provider_id, participant_id, minutes, entries, cost FROM deliveries
                WHERE edition_id = \(id.rawValue) AND month = \(month.description)
                """
            ).map { row in
                Settlement.Row(
                    providerID: try row.decode(ProviderID.self, at: 0), participantID: ParticipantID(try row.decode(String.self, at: 1)),
                    minutes: try row.decode(Int64.self, at: 2), visits: try row.decode(Int64.self, at: 3),
                    cost: Money(grosze: try row.decode(Int64.self, at: 4)))
            }
            return .settled(Settlement.build(edition: edition, month: month, closedAt: closedAt, rows: rows))
        }
    }

    /// Every month of the edition with its deadline and when it was closed; nil for an unknown edition.
    func settlementCalendar(edition id: EditionID) async throws -> [SettlementMonth]? {
        try await pool.withTransaction(isolation: .repeatableRead) { connection in
            guard let edition = try await editionFacts(id, on: connection) else { return nil }
            let closed = try await closedMonths(of: id, on: connection)
            return edition.period.start.yearMonth.through(edition.period.end.yearMonth).map { month in
                let deadline = edition.settlementDeadline(of: month)
                let closedOn = closed[month].map { CalendarDate($0) }
                return SettlementMonth(
                    month: month, deadline: deadline, closedOn: closedOn,
                    closedByDeadline: deadline.flatMap { deadline in closedOn.map { $0 <= deadline } })
            }
        }
    }

    // MARK: - Months and deliveries

    private func closedMonths(of edition: EditionID, on connection: PostgresConnection) async throws -> [YearMonth: Date] {
        var closed: [YearMonth: Date] = [:]
        for row in try await connection.query("SELECT month, closed_at_us FROM closed_months WHERE edition_id = \(edition.rawValue)") {
            closed[try row.decode(YearMonth.self, at: 0)] = Date(microseconds: try row.decode(Int64.self, at: 1))
        }
        return closed
    }

    private func deliveries(of edition: EditionID, in range: MonthRange, on connection: PostgresConnection) async throws -> [DeliveryRow] {
        try await connection.query(
            """
            WITH \(fragment: Self.latestGrants(in: edition))
            SELECT d.month, d.provider_id, l.category, l.multiple, sum(d.minutes)::bigint, sum(d.cost)::bigint, sum(d.entries)::bigint
            FROM deliveries d LEFT JOIN latest l ON l.participant_id = d.participant_id
            WHERE d.edition_id = \(edition.rawValue) AND d.month BETWEEN \(range.from.description) AND \(range.to.description)
            GROUP BY 1, 2, 3, 4
            """
        ).map { row in
            DeliveryRow(
                month: try row.decode(YearMonth.self, at: 0), provider: try row.decode(ProviderID.self, at: 1),
                group: try Self.group(row, at: 2), minutes: try row.decode(Int64.self, at: 4),
                cost: Money(grosze: try row.decode(Int64.self, at: 5)), entries: try row.decode(Int64.self, at: 6))
        }
    }

    // MARK: - People

    private func participants(
        of edition: EditionID, in range: MonthRange, asOf: Int64, on connection: PostgresConnection
    ) async throws -> [ParticipantCountRow] {
        let (id, from, to) = (edition.rawValue, range.from.description, range.to.description)
        return try await connection.query(
            """
            WITH \(fragment: Self.latestGrants(in: edition)), granted AS (
                SELECT DISTINCT g.participant_id
                FROM grants g LEFT JOIN revocations r ON r.grant_id = g.grant_id AND r.revoked_at_us <= \(asOf)
                WHERE g.edition_id = \(id) AND g.granted_at_us <= \(asOf)
                  AND g.period_start <= \(range.lastDay.description)::date
                  AND LEAST(g.period_end, COALESCE(r.revoked_on, g.period_end)) >= \(range.firstDay.description)::date
                  AND COALESCE(r.revoked_on, g.period_end) >= g.period_start
            ), served AS (
                SELECT participant_id FROM deliveries WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to)
                GROUP BY participant_id HAVING sum(minutes) > 0
            ), people AS (
                SELECT participant_id, bool_or(is_granted) AS is_granted, bool_or(is_served) AS is_served
                FROM (SELECT participant_id, true AS is_granted, false AS is_served FROM granted
                      UNION ALL SELECT participant_id, false, true FROM served) x
                GROUP BY participant_id
            )
            SELECT l.category, l.multiple, count(*) FILTER (WHERE p.is_granted), count(*) FILTER (WHERE p.is_served)
            FROM people p LEFT JOIN latest l ON l.participant_id = p.participant_id
            GROUP BY 1, 2
            """
        ).map { row in
            ParticipantCountRow(
                group: try Self.group(row, at: 0), granted: try row.decode(Int64.self, at: 2), served: try row.decode(Int64.self, at: 3))
        }
    }

    /// Participants served and assistants active per month, and assistants active in the whole range.
    private func activity(
        of edition: EditionID, in range: MonthRange, on connection: PostgresConnection
    ) async throws
        -> (months: [MonthActivityRow], assistantsInRange: Int64)
    {
        let (id, from, to) = (edition.rawValue, range.from.description, range.to.description)
        var served: [YearMonth: Int64] = [:]
        for row in try await connection.query(
            """
            SELECT month, count(*) FROM (
                SELECT month, participant_id FROM deliveries WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to)
                GROUP BY 1, 2 HAVING sum(minutes) > 0) x
            GROUP BY month
            """)
        {
            served[try row.decode(YearMonth.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        var active: [YearMonth: Int64] = [:]
        for row in try await connection.query(
            """
            SELECT month, count(*) FROM (
                SELECT month, assistant_id FROM assistant_months WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to)
                GROUP BY 1, 2 HAVING sum(minutes) > 0) x
            GROUP BY month
            """)
        {
            active[try row.decode(YearMonth.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        let assistantsInRange =
            try await connection.query(
                """
                SELECT count(*) FROM (
                    SELECT assistant_id FROM assistant_months WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to)
                    GROUP BY 1 HAVING sum(minutes) > 0) x
                """
            ).first?.decode(Int64.self, at: 0) ?? 0
        let months = range.months.map {
            MonthActivityRow(month: $0, counts: ActivityCounts(participantsServed: served[$0] ?? 0, assistantsActive: active[$0] ?? 0))
        }
        return (months, assistantsInRange)
    }

    // MARK: - Expenses and late changes

    private func expenses(of edition: EditionID, in range: MonthRange, on connection: PostgresConnection) async throws -> [AssistantExpenseRow] {
        try await connection.query(
            """
            SELECT month, assistant_id, provider_id, travel, tickets, protective FROM assistant_months
            WHERE edition_id = \(edition.rawValue) AND month BETWEEN \(range.from.description) AND \(range.to.description)
              AND (travel <> 0 OR tickets <> 0 OR protective <> 0)
            """
        ).map(Self.expenseRow)
    }

    /// Changes that reached closed months, and the expenses of the assistant-months they touch.
    private func lateChanges(
        of edition: EditionID, on connection: PostgresConnection
    ) async throws
        -> (changes: [LateChangeRow], baseExpenses: [AssistantExpenseRow])
    {
        let late = try await connection.query(
            """
            WITH \(fragment: Self.latestGrants(in: edition))
            SELECT c.month, c.provider_id, l.category, l.multiple, c.assistant_id, c.kind, c.minutes_added - c.minutes_removed, c.cost,
                   c.travel, c.tickets, c.protective, c.event_time_us, c.event_key || '#' || c.part::text, c.reason
            FROM timesheet_changes c LEFT JOIN latest l ON l.participant_id = c.participant_id
            WHERE c.edition_id = \(edition.rawValue) AND c.late
            """
        ).map { row in
            LateChangeRow(
                month: try row.decode(YearMonth.self, at: 0), provider: try row.decode(ProviderID.self, at: 1), group: try Self.group(row, at: 2),
                assistant: try row.decode(AssistantID.self, at: 4), kind: try row.decode(LateChangeRow.Kind.self, at: 5),
                minutesDelta: try row.decode(Int64.self, at: 6), costDelta: Money(grosze: try row.decode(Int64.self, at: 7)),
                expensesDelta: Expenses(
                    travel: Money(grosze: try row.decode(Int64.self, at: 8)), tickets: Money(grosze: try row.decode(Int64.self, at: 9)),
                    protectiveEquipment: Money(grosze: try row.decode(Int64.self, at: 10))),
                eventTime: Date(microseconds: try row.decode(Int64.self, at: 11)), orderKey: try row.decode(String.self, at: 12),
                reason: try row.decode(String?.self, at: 13))
        }
        guard !late.isEmpty else { return ([], []) }
        let base = try await connection.query(
            """
            SELECT a.month, a.assistant_id, a.provider_id, a.travel, a.tickets, a.protective FROM assistant_months a
            WHERE a.edition_id = \(edition.rawValue) AND (a.assistant_id, a.month) IN (
                SELECT assistant_id, month FROM timesheet_changes WHERE edition_id = \(edition.rawValue) AND late)
            """
        ).map(Self.expenseRow)
        return (late, base)
    }

    // MARK: - Ratings and orders

    private func ratings(
        of edition: EditionID, in range: MonthRange, on connection: PostgresConnection
    ) async throws
        -> (scores: [RatingRow], rated: [RatedServicesRow])
    {
        let (id, from, to) = (edition.rawValue, range.from.description, range.to.description)
        let scores = try await connection.query(
            """
            SELECT provider_id, question, sum(score_sum)::bigint, sum(answers)::bigint FROM rating_scores
            WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to) GROUP BY 1, 2
            """
        ).map { row in
            RatingRow(
                provider: try row.decode(ProviderID.self, at: 0), question: try row.decode(String.self, at: 1),
                sum: try row.decode(Int64.self, at: 2), count: try row.decode(Int64.self, at: 3))
        }
        let rated = try await connection.query(
            """
            SELECT provider_id, sum(ratings)::bigint FROM rated_services
            WHERE edition_id = \(id) AND month BETWEEN \(from) AND \(to) GROUP BY 1
            """
        ).map { row in
            RatedServicesRow(provider: try row.decode(ProviderID.self, at: 0), ratings: try row.decode(Int64.self, at: 1))
        }
        return (scores, rated)
    }

    private func orders(of edition: EditionID, in range: MonthRange, on connection: PostgresConnection) async throws -> [OrderMonthRow] {
        try await connection.query(
            """
            SELECT month, placed, assigned, cancelled FROM order_months
            WHERE edition_id = \(edition.rawValue) AND month BETWEEN \(range.from.description) AND \(range.to.description)
            """
        ).map { row in
            OrderMonthRow(
                month: try row.decode(YearMonth.self, at: 0), placed: try row.decode(Int64.self, at: 1),
                assigned: try row.decode(Int64.self, at: 2), cancelled: try row.decode(Int64.self, at: 3))
        }
    }

    /// A closed month counts what participants said before it closed, like its hours.
    private func confirmations(of edition: EditionID, in range: MonthRange, on connection: PostgresConnection) async throws -> [ConfirmationRow] {
        try await connection.query(
            """
            SELECT c.month, c.provider_id, sum(c.confirmed_minutes)::bigint, sum(c.contested_minutes)::bigint
            FROM card_changes c LEFT JOIN closed_months m ON m.edition_id = c.edition_id AND m.month = c.month
            WHERE c.edition_id = \(edition.rawValue) AND c.month BETWEEN \(range.from.description) AND \(range.to.description)
              AND (m.closed_at_us IS NULL OR c.event_time_us <= m.closed_at_us)
            GROUP BY 1, 2
            """
        ).map { row in
            ConfirmationRow(
                month: try row.decode(YearMonth.self, at: 0), provider: try row.decode(ProviderID.self, at: 1),
                confirmedMinutes: try row.decode(Int64.self, at: 2), contestedMinutes: try row.decode(Int64.self, at: 3))
        }
    }

    // MARK: - Decoding helpers

    /// The group of a row's latest grant (category, multiple); none for someone without a grant.
    private static func group(_ row: PostgresRow, at index: Int) throws -> GroupKey {
        GroupKey(
            category: try row.decode(ParticipantGroup.Category?.self, at: index),
            multipleDisabilities: try row.decode(Bool?.self, at: index + 1) ?? false)
    }

    private static func expenseRow(_ row: PostgresRow) throws -> AssistantExpenseRow {
        AssistantExpenseRow(
            month: try row.decode(YearMonth.self, at: 0), assistant: try row.decode(AssistantID.self, at: 1),
            provider: try row.decode(ProviderID.self, at: 2),
            reported: Expenses(
                travel: Money(grosze: try row.decode(Int64.self, at: 3)), tickets: Money(grosze: try row.decode(Int64.self, at: 4)),
                protectiveEquipment: Money(grosze: try row.decode(Int64.self, at: 5))))
    }
}

extension LateChangeRow.Kind: StoredValue {}
