import Domain
import FoundationEssentials
import Postgres

extension OrderingStore {
    func placeOrder(_ new: NewOrder) async throws -> OrderRecord {
        let id = OrderID.random()
        let skills = Array(Set(new.requiredSkills)).sorted { $0.rawValue < $1.rawValue }
        return try await pool.withTransaction { connection in
            // Locking the participant's grants serialises their orders (and a
            // revocation), so two orders placed at once cannot both take the last hours.
            let grants = try await Self.lockedGrants(of: new.participantID, on: connection)
            let grant: GrantWindow
            switch GrantWindow.choose(for: new.time, among: grants.map(\.grant.window)) {
            case let .success(chosen): grant = chosen
            case let .failure(refusal): throw OrderingFailure.refused(refusal)
            }
            let (stored, allowance) = grants.first { $0.grant.window.grantID == grant.grantID }!
            if let monthly = stored.monthly {
                let use = try await Self.monthlyUse(of: new.participantID, editionID: grant.editionID, on: connection)
                guard monthly.admits(minutes: new.time.minutes, in: new.time.firstDay.yearMonth, use) else {
                    throw OrderingFailure.refused(.monthlyBudgetExceeded)
                }
            } else {
                guard allowance.admits(minutes: new.time.minutes) else { throw OrderingFailure.refused(.allowanceExceeded) }
            }
            if let preferred = new.preferredAssistantID {
                let served = try await connection.query(
                    """
                    SELECT 1 FROM orders WHERE participant_id = \(new.participantID.rawValue) AND assistant_id = \(preferred.rawValue)
                      AND status = 'assigned' LIMIT 1
                    """)
                guard served.first != nil else { throw OrderingFailure.refused(.preferredAssistantUnknown) }
            }

            let placed = try outbox.envelope(
                OrderPlaced(
                    orderID: id, participantID: new.participantID, grantID: grant.grantID, editionID: grant.editionID,
                    start: new.time.start, end: new.time.end, activity: new.activity, requiredSkills: skills
                ))
            // The order, its event and the order as stored: one round trip.
            let answers = try await connection.pipeline([
                """
                INSERT INTO orders (id, participant_id, edition_id, grant_id, start_at, end_at, minutes, activity, place, required_skills, status,
                                    preferred_assistant_id)
                VALUES (\(id.rawValue), \(new.participantID.rawValue), \(grant.editionID.rawValue), \(grant.grantID.rawValue),
                        \(Timestamp.format(new.time.start))::timestamptz, \(Timestamp.format(new.time.end))::timestamptz, \(new.time.minutes),
                        \(new.activity.rawValue), \(new.place), \(skills.map(\.rawValue))::text[], 'placed', \(new.preferredAssistantID?.rawValue))
                """,
                try outbox.appending([placed]),
                Self.orderQuery(id),
            ])
            try outbox.appended([placed], answer: answers[1], on: connection)
            return try OrderRecord(row: answers[2][0])
        }
    }

    func order(_ id: OrderID) async throws -> OrderRecord? {
        try await pool.withConnection { connection in try await Self.order(id, on: connection) }
    }

    func orders(of participantID: ParticipantID) async throws -> [OrderRecord] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT * FROM order_view WHERE participant_id = \(participantID.rawValue) ORDER BY start_epoch, id")
                .map(OrderRecord.init(row:))
        }
    }

    /// The orders starting on the days from `first` to `last` (Polish days), earliest first,
    /// of one status if given; at most `limit`.
    func orders(from first: CalendarDate, to last: CalendarDate, status: OrderStatus?, limit: Int) async throws -> [OrderRecord] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT v.* FROM orders o JOIN order_view v ON v.id = o.id
                WHERE o.start_at >= \(first.startOfDay()) AND o.start_at < \(last.adding(days: 1).startOfDay())
                  AND (\(status?.rawValue)::text IS NULL OR o.status = \(status?.rawValue))
                ORDER BY o.start_at, o.id LIMIT \(limit)
                """
            ).map(OrderRecord.init(row:))
        }
    }

    /// The orders assigned to an assistant of an NGO, oldest first; nil when the NGO has no such assistant.
    func orders(ofAssistant assistantID: AssistantID, providerID: ProviderID) async throws -> [OrderRecord]? {
        try await pool.withConnection { connection in
            let known = try await connection.query(
                "SELECT 1 FROM assistants WHERE id = \(assistantID.rawValue) AND provider_id = \(providerID.rawValue)")
            guard known.first != nil else { return nil }
            return try await connection.query(
                "SELECT * FROM order_view WHERE assistant_id = \(assistantID.rawValue) ORDER BY start_epoch, id"
            ).map(OrderRecord.init(row:))
        }
    }

    func cancel(_ id: OrderID, by cancelledBy: OrderCancelled.CancelledBy) async throws -> OrderRecord {
        try await pool.withTransaction { connection in
            let order = try await Self.lockedOrder(id, on: connection)
            if order.status == .cancelled { throw OrderingFailure.conflict("already-cancelled", "the order is already cancelled") }
            if order.deliveredMinutes > 0 {
                throw OrderingFailure.conflict("order-delivered", "hours were already accounted for the order; it can no longer be cancelled")
            }
            // The edition's notice binds the participant; a coordinator may still cancel (an assistant fell ill).
            if cancelledBy == .participant, clock.now() > order.cancellableUntil {
                throw OrderingFailure.conflict(
                    "cancellation-too-late",
                    "the order may be cancelled until \(Timestamp.format(order.cancellableUntil)) (the edition's notice before the start); call the coordinator"
                )
            }
            let now = Date()
            try await connection.execute(
                """
                UPDATE orders SET status = 'cancelled', cancelled_at = \(Timestamp.format(now))::timestamptz, cancelled_by = \(cancelledBy.rawValue)
                WHERE id = \(id.rawValue)
                """)
            try await outbox.append(
                OrderCancelled(
                    orderID: id, participantID: order.participantID, editionID: order.editionID, cancelledAt: now, cancelledBy: cancelledBy
                ), on: connection)
            return try await Self.order(id, on: connection)!
        }
    }

    func rate(_ id: OrderID, scores: [ServiceRated.Score], comment: String?) async throws -> RatingRecord {
        let ratingID = RatingID.random()
        let ratedOn = CalendarDate(Date())
        return try await pool.withTransaction { connection in
            let order = try await Self.lockedOrder(id, on: connection)
            guard order.deliveredMinutes > 0 else {
                throw OrderingFailure.conflict("not-delivered", "only a service with accounted hours can be rated")
            }
            // Insert first: the unique order id is what makes a second rating fail.
            let inserted = try await connection.query(
                """
                INSERT INTO ratings (id, order_id, scores, comment, rated_on)
                VALUES (\(ratingID.rawValue), \(id.rawValue), \(try StoredJSON.encode(scores))::jsonb, NULLIF(\(comment ?? ""), ''), \(ratedOn.description)::date)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING id
                """)
            guard inserted.first != nil else { throw OrderingFailure.conflict("already-rated", "the order has already been rated") }
            let providerID: ProviderID
            if let assigned = order.providerID {
                providerID = assigned
            } else {
                // Accounted without an assignment ordering knows of: the NGO that delivered it.
                let rows = try await connection.query(
                    "SELECT provider_id FROM deliveries WHERE order_id = \(id.rawValue) AND minutes > 0 ORDER BY provider_id LIMIT 1")
                providerID = ProviderID(try rows.first!.decode(String.self, at: 0))
            }
            try await outbox.append(
                ServiceRated(
                    ratingID: ratingID, orderID: id, participantID: order.participantID, editionID: order.editionID,
                    providerID: providerID, ratedOn: ratedOn, scores: scores
                ), on: connection)
            return RatingRecord(ratingID: ratingID, orderID: id, ratedOn: ratedOn, scores: scores, comment: comment)
        }
    }

    // MARK: - Shared reads

    static func order(_ id: OrderID, on connection: PostgresConnection) async throws -> OrderRecord? {
        try await connection.query(orderQuery(id)).first.map(OrderRecord.init(row:))
    }

    static func orderQuery(_ id: OrderID) -> PostgresQuery {
        "SELECT * FROM order_view WHERE id = \(id.rawValue)"
    }

    /// Locks the order's row for the rest of the transaction, then reads it.
    static func lockedOrder(_ id: OrderID, on connection: PostgresConnection) async throws -> OrderRecord {
        let locked = try await connection.query("SELECT id FROM orders WHERE id = \(id.rawValue) FOR UPDATE")
        guard locked.first != nil, let order = try await order(id, on: connection) else { throw OrderingFailure.notFound("the order") }
        return order
    }
}
