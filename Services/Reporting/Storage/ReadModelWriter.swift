import Domain
import FoundationEssentials
import Postgres

/// Applies events to the read models, inside the consumer loop's transaction
/// (the inbox row and these effects commit together, so each event counts once).
/// Every effect is an upsert of sums; nothing reads a row to decide what to write.
struct ReadModelWriter: Sendable {
    // MARK: - Editions and providers

    func editionPublished(_ rules: EditionRules, at time: Date, on connection: PostgresConnection) async throws {
        let json = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        let providers = rules.providers
        _ = try await connection.pipeline([
            Self.lockRates(of: [rules.id.rawValue], exclusively: true),
            """
            INSERT INTO editions (edition_id, rules, rate_cap, published_at_us)
            VALUES (\(rules.id.rawValue), \(json), \(rules.hourlyRateCap.grosze), \(time.microseconds))
            ON CONFLICT (edition_id) DO UPDATE
            SET rules = EXCLUDED.rules, rate_cap = EXCLUDED.rate_cap, published_at_us = EXCLUDED.published_at_us
            WHERE editions.published_at_us <= EXCLUDED.published_at_us
            """,
            """
            INSERT INTO edition_providers AS p (edition_id, provider_id, name, edition_rate)
            SELECT \(rules.id.rawValue), * FROM unnest(\(providers.map(\.id.rawValue))::text[], \(providers.map(\.name))::text[],
                                                     \(providers.map(\.hourlyRate.grosze))::bigint[])
            ON CONFLICT (edition_id, provider_id) DO UPDATE SET name = EXCLUDED.name, edition_rate = EXCLUDED.edition_rate
            """,
        ])
        try await priceAndApply(editions: [rules.id.rawValue], on: connection)
    }

    func providerRegistered(_ event: ProviderRegistered, on connection: PostgresConnection) async throws {
        _ = try await connection.pipeline([
            Self.lockRates(of: [event.editionID.rawValue], exclusively: true),
            """
            INSERT INTO edition_providers AS p (edition_id, provider_id, name, registered_rate)
            VALUES (\(event.editionID.rawValue), \(event.providerID.rawValue), \(event.name), \(event.hourlyRate.grosze))
            ON CONFLICT (edition_id, provider_id) DO UPDATE
            SET registered_rate = EXCLUDED.registered_rate,
                name = CASE WHEN p.edition_rate IS NULL THEN EXCLUDED.name ELSE p.name END
            """,
        ])
        try await priceAndApply(editions: [event.editionID.rawValue], on: connection)
    }

    func assistantRegistered(_ event: AssistantRegistered, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO assistants (assistant_id, provider_id) VALUES (\(event.assistantID.rawValue), \(event.providerID.rawValue))
            ON CONFLICT (assistant_id) DO UPDATE SET provider_id = EXCLUDED.provider_id
            """)
    }

    // MARK: - Grants

    func supportGranted(_ events: [(SupportGranted, Date)], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        let grants = events.map(\.0)
        try await connection.execute(
            """
            INSERT INTO grants (grant_id, edition_id, participant_id, category, multiple, period_start, period_end, granted_on, granted_at_us)
            SELECT * FROM unnest(\(grants.map(\.grantID.rawValue))::text[], \(grants.map(\.editionID.rawValue))::text[],
                                 \(grants.map(\.participantID.rawValue))::text[], \(grants.map(\.group.category.rawValue))::text[],
                                 \(grants.map(\.group.multipleDisabilities))::boolean[], \(grants.map(\.period.start.description))::date[],
                                 \(grants.map(\.period.end.description))::date[], \(grants.map(\.grantedOn.description))::date[],
                                 \(events.map(\.1.microseconds))::bigint[])
            ON CONFLICT (grant_id) DO NOTHING
            """)
    }

    func supportRevoked(_ event: SupportRevoked, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO revocations (grant_id, revoked_on, revoked_at_us)
            VALUES (\(event.grantID.rawValue), \(event.revokedOn.description)::date, \(time.microseconds))
            ON CONFLICT (grant_id) DO NOTHING
            """)
    }

    // MARK: - Timesheet

    typealias Change = TimesheetChange

    /// Stores the changes, each priced as it is stored when its provider's rate is
    /// known (the usual case: one write per change, not a write and an update), and adds
    /// the priced ones to the month's sums, in one statement. A change stored before is
    /// skipped (redelivery); one without a rate waits for `priceAndApply`.
    func record(_ changes: [Change], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        let editions = Array(Set(changes.map(\.edition.rawValue))).sorted()
        _ = try await connection.pipeline([
            Self.lockRates(of: editions, exclusively: false),
            """
            WITH \(fragment: Self.rates(editions)), stored AS (
                INSERT INTO timesheet_changes AS c (event_key, part, edition_id, month, provider_id, participant_id, assistant_id, kind,
                                                    minutes_added, minutes_removed, entries, travel, tickets, protective, event_time_us,
                                                    reason, cost, late)
                SELECT c.*, \(fragment: Self.cost), r.rate IS NOT NULL AND \(fragment: Self.late)
                FROM unnest(\(changes.map(\.eventKey))::text[], \(changes.map(\.part))::smallint[], \(changes.map(\.edition.rawValue))::text[],
                            \(changes.map(\.month.description))::text[], \(changes.map(\.provider.rawValue))::text[],
                            \(changes.map(\.participant.rawValue))::text[], \(changes.map(\.assistant.rawValue))::text[],
                            \(changes.map(\.kind.rawValue))::text[], \(changes.map { Int64($0.minutesAdded) })::bigint[],
                            \(changes.map { Int64($0.minutesRemoved) })::bigint[], \(changes.map { Int64($0.entries) })::bigint[],
                            \(changes.map(\.expenses.travel.grosze))::bigint[], \(changes.map(\.expenses.tickets.grosze))::bigint[],
                            \(changes.map(\.expenses.protectiveEquipment.grosze))::bigint[], \(changes.map(\.time.microseconds))::bigint[],
                            \(changes.map(\.reason))::text[])
                     AS c (event_key, part, edition_id, month, provider_id, participant_id, assistant_id, kind, minutes_added,
                           minutes_removed, entries, travel, tickets, protective, event_time_us, reason)
                LEFT JOIN rates r ON r.edition_id = c.edition_id AND r.provider_id = c.provider_id
                ON CONFLICT (event_key, part) DO NOTHING
                RETURNING \(fragment: Self.pricedColumns)
            ), priced AS (
                SELECT * FROM stored WHERE cost IS NOT NULL
            )
            \(fragment: Self.addToSums)
            """,
        ])
    }

    /// Orders the storing of changes and of rates, edition by edition, across replicas:
    /// `record` prices a change with the rates committed when its statement starts, and
    /// `priceAndApply` prices the changes committed when its statement starts. A change
    /// stored by one replica while another stores its rate was seen by neither, and stayed
    /// unpriced and out of the sums. Changes take their editions' locks shared (replicas
    /// recording changes never wait on each other), a rate exclusively; the lock is its
    /// own statement, so the statements after it see what the other transaction committed
    /// (pipelined with them: each statement of a pipeline still takes its own snapshot).
    private static func lockRates(of editions: [String], exclusively: Bool) -> PostgresQuery {
        let lock: PostgresQuery = exclusively ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared"
        return "SELECT \(fragment: lock)(\(Self.ratesLockSpace), hashtext(edition)) FROM unnest(\(editions)::text[]) AS edition ORDER BY edition"
    }

    /// The first key of the rates' advisory locks (two-key locks are apart from the one-key locks of the relay and the migrations).
    private static let ratesLockSpace: Int32 = 0x7261_7465  // "rate"

    /// Prices every recorded change whose provider's rate is now known and adds it
    /// to the month's sums, unless its month was closed before it happened (then it
    /// is late: it stays in the ledger only). Running it again finds nothing to do.
    func priceAndApply(editions: [String], on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH \(fragment: Self.rates(editions)), priced AS (
                UPDATE timesheet_changes c
                SET cost = \(fragment: Self.cost), late = \(fragment: Self.late)
                FROM rates r
                WHERE c.cost IS NULL AND c.edition_id = r.edition_id AND c.provider_id = r.provider_id
                RETURNING \(fragment: Self.pricedColumns)
            )
            \(fragment: Self.addToSums)
            """)
    }

    /// `rates`: each provider's hourly rate in the editions, capped by the edition's.
    private static func rates(_ editions: [String]) -> PostgresQuery {
        """
        rates AS (
            SELECT p.edition_id, p.provider_id, LEAST(COALESCE(p.edition_rate, p.registered_rate), e.rate_cap) AS rate
            FROM edition_providers p JOIN editions e ON e.edition_id = p.edition_id
            WHERE p.edition_id = ANY(\(editions)::text[]) AND COALESCE(p.edition_rate, p.registered_rate) IS NOT NULL
        )
        """
    }

    /// A change `c`'s cost at rate `r.rate`, in grosze, each way rounded half up.
    private static let cost: PostgresQuery =
        "(r.rate * c.minutes_added * 2 + 60) / 120 - (r.rate * c.minutes_removed * 2 + 60) / 120"

    /// Whether change `c` happened after its month was closed.
    private static let late: PostgresQuery = """
        EXISTS (SELECT 1 FROM closed_months m WHERE m.edition_id = c.edition_id AND m.month = c.month AND m.closed_at_us < c.event_time_us)
        """

    /// What `addToSums` reads of each priced change.
    private static let pricedColumns: PostgresQuery = """
        c.edition_id, c.month, c.provider_id, c.participant_id, c.assistant_id, c.minutes_added - c.minutes_removed AS minutes,
        c.cost, c.entries, c.travel, c.tickets, c.protective, c.late
        """

    /// Adds the changes of the CTE `priced` to the month's sums, the late ones excepted.
    private static let addToSums: PostgresQuery = """
        , delivered AS (
            INSERT INTO deliveries AS d (edition_id, month, provider_id, participant_id, minutes, cost, entries)
            SELECT edition_id, month, provider_id, participant_id, sum(minutes), sum(cost), sum(entries)
            FROM priced WHERE NOT late GROUP BY 1, 2, 3, 4
            ON CONFLICT (edition_id, month, provider_id, participant_id) DO UPDATE
            SET minutes = d.minutes + EXCLUDED.minutes, cost = d.cost + EXCLUDED.cost, entries = d.entries + EXCLUDED.entries
        )
        INSERT INTO assistant_months AS a (edition_id, month, assistant_id, provider_id, minutes, entries, travel, tickets, protective)
        SELECT edition_id, month, assistant_id, provider_id, sum(minutes), sum(entries), sum(travel), sum(tickets), sum(protective)
        FROM priced WHERE NOT late GROUP BY 1, 2, 3, 4
        ON CONFLICT (edition_id, month, assistant_id, provider_id) DO UPDATE
        SET minutes = a.minutes + EXCLUDED.minutes, entries = a.entries + EXCLUDED.entries, travel = a.travel + EXCLUDED.travel,
            tickets = a.tickets + EXCLUDED.tickets, protective = a.protective + EXCLUDED.protective
        """

    /// Freezes a month. Changes already applied that happened after the close (seen
    /// earlier only because topics interleave) move from the month's sums to the ledger,
    /// so the result does not depend on the order the topics were read in.
    func monthClosed(_ event: MonthClosed, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            WITH closed AS (
                INSERT INTO closed_months (edition_id, month, closed_at_us)
                VALUES (\(event.editionID.rawValue), \(event.month.description), \(event.closedAt.microseconds))
                ON CONFLICT (edition_id, month) DO NOTHING
                RETURNING edition_id, month, closed_at_us
            ), moved AS (
                UPDATE timesheet_changes c SET late = true
                FROM closed k
                WHERE c.edition_id = k.edition_id AND c.month = k.month AND c.event_time_us > k.closed_at_us
                  AND NOT c.late AND c.cost IS NOT NULL
                RETURNING c.edition_id, c.month, c.provider_id, c.participant_id, c.assistant_id,
                          c.minutes_added - c.minutes_removed AS minutes, c.cost, c.entries, c.travel, c.tickets, c.protective
            ), undelivered AS (
                UPDATE deliveries d
                SET minutes = d.minutes - s.minutes, cost = d.cost - s.cost, entries = d.entries - s.entries
                FROM (SELECT edition_id, month, provider_id, participant_id, sum(minutes) AS minutes, sum(cost) AS cost, sum(entries) AS entries
                      FROM moved GROUP BY 1, 2, 3, 4) s
                WHERE d.edition_id = s.edition_id AND d.month = s.month AND d.provider_id = s.provider_id AND d.participant_id = s.participant_id
            )
            UPDATE assistant_months a
            SET minutes = a.minutes - s.minutes, entries = a.entries - s.entries, travel = a.travel - s.travel,
                tickets = a.tickets - s.tickets, protective = a.protective - s.protective
            FROM (SELECT edition_id, month, assistant_id, provider_id, sum(minutes) AS minutes, sum(entries) AS entries,
                         sum(travel) AS travel, sum(tickets) AS tickets, sum(protective) AS protective
                  FROM moved GROUP BY 1, 2, 3, 4) s
            WHERE a.edition_id = s.edition_id AND a.month = s.month AND a.assistant_id = s.assistant_id AND a.provider_id = s.provider_id
            """)
    }

    // MARK: - Orders and ratings

    /// Orders count in the month they start. An assignment or cancellation seen
    /// before its placement is kept on the order and counted when the placement arrives.
    /// A run of placements is one statement (a replay brings tens of thousands); an
    /// order placed twice counts once, in the month of the first placement.
    func ordersPlaced(_ placements: [OrderPlaced], on connection: PostgresConnection) async throws {
        guard !placements.isEmpty else { return }
        try await connection.execute(
            """
            WITH placed AS (
                INSERT INTO orders AS o (order_id, edition_id, month)
                SELECT DISTINCT ON (order_id) order_id, edition_id, month
                FROM unnest(\(placements.map(\.orderID.rawValue))::text[], \(placements.map(\.editionID.rawValue))::text[],
                            \(placements.map { CalendarDate($0.start).yearMonth.description })::text[])
                     WITH ORDINALITY AS p (order_id, edition_id, month, n)
                ORDER BY order_id, n
                ON CONFLICT (order_id) DO UPDATE SET month = EXCLUDED.month WHERE o.month IS NULL
                RETURNING edition_id, month, assigned, cancelled
            )
            INSERT INTO order_months AS m (edition_id, month, placed, assigned, cancelled)
            SELECT edition_id, month, count(*), count(*) FILTER (WHERE assigned), count(*) FILTER (WHERE cancelled)
            FROM placed GROUP BY 1, 2
            ON CONFLICT (edition_id, month) DO UPDATE
            SET placed = m.placed + EXCLUDED.placed, assigned = m.assigned + EXCLUDED.assigned, cancelled = m.cancelled + EXCLUDED.cancelled
            """)
    }

    /// What an `OrderAssigned` or `OrderCancelled` marks on its order.
    enum OrderMark {
        case assigned, cancelled

        fileprivate var column: PostgresQuery {
            switch self {
            case .assigned: "assigned"
            case .cancelled: "cancelled"
            }
        }
    }

    /// Marks the orders, each once however often it comes, and counts the first mark in
    /// the order's month when its placement has been seen (otherwise the placement counts it).
    func ordersMarked(_ orders: [(order: OrderID, edition: EditionID)], _ mark: OrderMark, on connection: PostgresConnection) async throws {
        guard !orders.isEmpty else { return }
        try await connection.execute(
            """
            WITH first AS (
                INSERT INTO orders AS o (order_id, edition_id, \(fragment: mark.column))
                SELECT DISTINCT ON (order_id) order_id, edition_id, true
                FROM unnest(\(orders.map(\.order.rawValue))::text[], \(orders.map(\.edition.rawValue))::text[]) AS m (order_id, edition_id)
                ON CONFLICT (order_id) DO UPDATE SET \(fragment: mark.column) = true WHERE NOT o.\(fragment: mark.column)
                RETURNING edition_id, month
            )
            INSERT INTO order_months AS m (edition_id, month, \(fragment: mark.column))
            SELECT edition_id, month, count(*) FROM first WHERE month IS NOT NULL GROUP BY 1, 2
            ON CONFLICT (edition_id, month) DO UPDATE SET \(fragment: mark.column) = m.\(fragment: mark.column) + EXCLUDED.\(fragment: mark.column)
            """)
    }

    /// A rating counts in the month it was given, or, when that month was already
    /// closed when the rating arrived, in the first month then still open.
    func serviceRated(_ event: ServiceRated, at time: Date, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT month, closed_at_us FROM closed_months WHERE edition_id = \(event.editionID.rawValue)")
        var closed: [YearMonth: Date] = [:]
        for row in rows {
            if let month = YearMonth(try row.decode(String.self, at: 0)) { closed[month] = Date(microseconds: try row.decode(Int64.self, at: 1)) }
        }
        var month = event.ratedOn.yearMonth
        if let closedAt = closed[month], closedAt < time { month = ReportBuilder.reportingMonth(of: month, at: time, closed: closed) }
        var sums: [String: (Int64, Int64)] = [:]
        for score in event.scores {
            let (sum, answers) = sums[score.question] ?? (0, 0)
            sums[score.question] = (sum + Int64(score.score), answers + 1)
        }
        let questions = sums.keys.sorted()
        try await connection.execute(
            """
            INSERT INTO rating_scores AS r (edition_id, month, provider_id, question, score_sum, answers)
            SELECT \(event.editionID.rawValue), \(month.description), \(event.providerID.rawValue), *
            FROM unnest(\(questions)::text[], \(questions.map { sums[$0]!.0 })::bigint[], \(questions.map { sums[$0]!.1 })::bigint[])
            ON CONFLICT (edition_id, month, provider_id, question) DO UPDATE
            SET score_sum = r.score_sum + EXCLUDED.score_sum, answers = r.answers + EXCLUDED.answers
            """)
        try await connection.execute(
            """
            INSERT INTO rated_services AS s (edition_id, month, provider_id, ratings)
            VALUES (\(event.editionID.rawValue), \(month.description), \(event.providerID.rawValue), 1)
            ON CONFLICT (edition_id, month, provider_id) DO UPDATE SET ratings = s.ratings + 1
            """)
    }

    /// A confirmation, contest or settlement from a participant's card (`card_changes`).
    func cardChanged(_ change: CardChange, key: String, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO card_changes (event_key, edition_id, month, provider_id, confirmed_minutes, contested_minutes, event_time_us)
            VALUES (\(key), \(change.editionID.rawValue), \(change.month.description), \(change.providerID.rawValue),
                    \(change.confirmedMinutes), \(change.contestedMinutes), \(time.microseconds))
            ON CONFLICT DO NOTHING
            """)
    }

    func noteApplied(upTo time: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE applied_state SET last_event_time_us = GREATEST(last_event_time_us, \(time.microseconds))")
    }
}

extension Date {
    /// Whole microseconds since 1970: how reporting stores instants, exactly.
    var microseconds: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
    init(microseconds: Int64) { self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000) }
}
