import Domain
import FoundationEssentials
import Postgres

extension OrderingStore {
    /// Assigns by hand. The assistant's row is locked for the transaction, so two
    /// coordinators assigning the same assistant at once are serialised: the
    /// second sees the first's booking and is refused with `assistant-booked`.
    func assign(_ id: OrderID, providerID: ProviderID, assistantID: AssistantID) async throws -> OrderRecord {
        try await pool.withTransaction { connection in
            let order = try await Self.lockedOrder(id, on: connection)
            switch order.status {
            case .cancelled: throw OrderingFailure.conflict("order-cancelled", "the order is cancelled")
            case .assigned: throw OrderingFailure.conflict("already-assigned", "the order is already assigned")
            case .placed: break
            }
            let locked = try await connection.query("SELECT provider_id FROM assistants WHERE id = \(assistantID.rawValue) FOR UPDATE")
            guard let row = locked.first else { throw OrderingFailure.notFound("the assistant") }
            guard try row.decode(String.self, at: 0) == providerID.rawValue else {
                throw OrderingFailure.unprocessable("assistant-not-with-provider", "the assistant does not work for that provider")
            }
            let contract = try await connection.query(
                """
                SELECT 1 FROM provider_editions WHERE provider_id = \(providerID.rawValue) AND edition_id = \(order.editionID.rawValue)
                """)
            guard contract.first != nil else {
                throw OrderingFailure.unprocessable("provider-not-in-edition", "the provider has no contract in the order's edition")
            }
            let profile = try await Self.assistantProfiles(on: connection, providerIDs: [providerID.rawValue], participantID: order.participantID)
                .first { $0.id == assistantID }!
            let booked = try await Self.bookings(of: [assistantID], around: order, on: connection)[assistantID] ?? []
            let terms = try await Self.terms(order.editionID, on: connection)
            let demand = OrderDemand(
                participantID: order.participantID, time: order.serviceTime, requiredSkills: Set(order.requiredSkills),
                requirements: terms.requirements)
            let limit = terms.dailyLimitHours
            if let refusal = AssignmentRules.refusal(assigning: profile, to: demand, booked: booked, dailyLimitHours: limit) {
                throw OrderingFailure.refused(refusal)
            }
            try await connection.execute(
                """
                UPDATE orders SET status = 'assigned', provider_id = \(providerID.rawValue), assistant_id = \(assistantID.rawValue), assigned_at = now()
                WHERE id = \(id.rawValue)
                """)
            try await outbox.append(
                OrderAssigned(
                    orderID: id, participantID: order.participantID, editionID: order.editionID,
                    providerID: providerID, assistantID: assistantID, start: order.startsAt, end: order.endsAt
                ), on: connection)
            return try await Self.order(id, on: connection)!
        }
    }

    /// The assistants of the edition's providers who may take the order, best first.
    func suggestions(for id: OrderID) async throws -> [SuggestionRecord] {
        try await pool.withConnection { connection in
            guard let order = try await Self.order(id, on: connection) else { throw OrderingFailure.notFound("the order") }
            guard order.status == .placed else {
                throw OrderingFailure.conflict(
                    order.status == .cancelled ? "order-cancelled" : "already-assigned", "only an order waiting for an assistant has suggestions")
            }
            let providers = try await connection.query("SELECT provider_id FROM provider_editions WHERE edition_id = \(order.editionID.rawValue)")
                .map { try $0.decode(String.self, at: 0) }
            let profiles = try await Self.assistantProfiles(on: connection, providerIDs: providers, participantID: order.participantID)
            let booked = try await Self.bookings(of: profiles.map(\.id), around: order, on: connection)
            let terms = try await Self.terms(order.editionID, on: connection)
            let limit = terms.dailyLimitHours
            let demand = OrderDemand(
                participantID: order.participantID, time: order.serviceTime, requiredSkills: Set(order.requiredSkills),
                preferredAssistant: order.preferredAssistantID, requirements: terms.requirements)
            let history = try await Self.history(of: order.participantID, on: connection)
            return AssignmentRules.suggestions(
                for: demand, candidates: profiles.map { ($0, booked: booked[$0.id] ?? []) }, history: history, dailyLimitHours: limit
            )
            .map {
                SuggestionRecord(
                    providerID: $0.assistant.providerID, assistantID: $0.assistant.id,
                    skills: $0.assistant.skills.sorted { $0.rawValue < $1.rawValue },
                    nearbyBookedMinutes: $0.nearbyMinutes, continuity: $0.continuity, earlierServices: $0.earlierServices, reason: $0.reason)
            }
        }
    }

    /// Who has served the participant: their assigned, not cancelled, orders by assistant and by NGO.
    static func history(of participant: ParticipantID, on connection: PostgresConnection) async throws -> AssignmentRules.History {
        var history = AssignmentRules.History()
        for row in try await connection.query(
            """
            SELECT assistant_id, provider_id, count(*)::bigint FROM orders
            WHERE participant_id = \(participant.rawValue) AND status = 'assigned' AND assistant_id IS NOT NULL
            GROUP BY assistant_id, provider_id
            """)
        {
            let count = try row.decode(Int.self, at: 2)
            history.servicesByAssistant[AssistantID(try row.decode(String.self, at: 0)), default: 0] += count
            history.servicesByProvider[ProviderID(try row.decode(String.self, at: 1)), default: 0] += count
        }
        return history
    }

    /// The assistants' other assigned services from 24 hours before the order to
    /// 24 hours after it: everything double booking and the 12-in-24 limit look at.
    static func bookings(
        of assistants: [AssistantID], around order: OrderRecord, on connection: PostgresConnection
    ) async throws -> [AssistantID: [ServiceTime]] {
        guard !assistants.isEmpty else { return [:] }
        let from = order.startsAt.addingTimeInterval(-DailyLimit.window)
        let to = order.endsAt.addingTimeInterval(DailyLimit.window)
        let rows = try await connection.query(
            """
            SELECT assistant_id, extract(epoch FROM start_at)::bigint, extract(epoch FROM end_at)::bigint
            FROM orders
            WHERE status = 'assigned' AND assistant_id = ANY(\(assistants.map(\.rawValue))::text[]) AND id <> \(order.orderID.rawValue)
              AND start_at < \(Timestamp.format(to))::timestamptz AND end_at > \(Timestamp.format(from))::timestamptz
            """)
        var result: [AssistantID: [ServiceTime]] = [:]
        for row in rows {
            let time = ServiceTime(
                start: Date(timeIntervalSince1970: TimeInterval(try row.decode(Int.self, at: 1))),
                end: Date(timeIntervalSince1970: TimeInterval(try row.decode(Int.self, at: 2))))
            result[AssistantID(try row.decode(String.self, at: 0)), default: []].append(time)
        }
        return result
    }

    /// What an edition asks of an assignment: the hours in 24 and, under a statute, the
    /// assistant's qualifications and relation.
    static func terms(
        _ editionID: EditionID, on connection: PostgresConnection
    ) async throws -> (dailyLimitHours: Int, requirements: AssistantRequirements?) {
        let rows = try await connection.query(
            "SELECT assistant_daily_limit_hours, assistant_requirements::text FROM editions WHERE id = \(editionID.rawValue)")
        guard let row = rows.first else { return (defaultDailyLimitHours, nil) }
        return (
            try row.decode(Int.self, at: 0),
            try row.decode(String?.self, at: 1).map { try StoredJSON.decode(AssistantRequirements.self, $0) }
        )
    }
}
