import Domain
import EventJSON
import FoundationEssentials
import Hummingbird
import Postgres
import ServiceRuntime

/// Entries made with a person's bearer token instead of an NGO system's key (the
/// portal's pages; no NGO key in a browser). Timesheet signs each with the NGO's
/// assistant-channel key and puts it on the submissions topic, so it is answered
/// exactly like the NGO's own entries, on the results topic and in
/// `GET /providers/{providerID}/entries/{entryID}`; the version's signature names
/// the channel, so the audit trail shows it did not come from the NGO's system.
/// - `POST /providers/{providerID}/assistants/{assistantID}/visits`: an assistant
///   records a visit of an order assigned to them (any other order is the same 404
///   as one that does not exist), as entry `wizyta-<orderID>`, sequence 1.
/// - `POST /providers/{providerID}/entries/{entryID}/versions`: the next version of
///   an entry — a correction or a void — by the NGO's staff (any entry of theirs,
///   e.g. fixing a rejected one) or by the assistant (entries of their own visits).
///   The fields not given are the latest version's.
///
/// Each version is claimed when queued (`channel_versions`): the same version twice
/// is a 409 `already-recorded`, a change before the previous one's answer a 409
/// `change-pending`.
struct VisitRoutes<Context: CallerRequestContext> {
    let pool: PostgresPool
    let keys: KeyStore
    let submissions: SubmissionStore
    let resultsTopic: String

    struct Visit: Decodable, Sendable {
        var orderID: OrderID
        var start: Date
        var end: Date
        var activity: ActivityCategory
        var expenses: Expenses?
    }

    struct Change: Decodable, Sendable {
        var action: TimesheetEntrySubmitted.Action
        var start: Date?
        var end: Date?
        var activity: ActivityCategory?
        var expenses: Expenses?
        var reason: String?
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("providers/{providerID}/assistants/{assistantID}/visits") { request, context in
            let caller = try context.require(.assistant)
            let providerID = ProviderID(try context.parameters.require("providerID"))
            let assistantID = AssistantID(try context.parameters.require("assistantID"))
            guard caller.maySee(providerID), caller.assistant == assistantID.rawValue else { throw APIError.notFound("the assistant") }
            let visit = try await request.decodeJSON(as: Visit.self, context: context)
            guard let participantID = try await assignedOrder(visit.orderID, providerID: providerID, assistantID: assistantID) else {
                throw APIError.notFound("the order")
            }
            let entry = TimesheetEntrySubmitted(
                providerID: providerID, entryID: "wizyta-" + visit.orderID.rawValue, sequence: 1, assistantID: assistantID, orderID: visit.orderID,
                participantID: participantID, start: visit.start, end: visit.end, activity: visit.activity, expenses: visit.expenses)
            guard case .none = try await latest(of: entry.entryID, providerID: providerID) else { throw Self.alreadyRecorded }
            return try await queue(entry)
        }
        routes.post("providers/{providerID}/entries/{entryID}/versions") { request, context in
            let caller = try context.require(.provider, .assistant)
            let providerID = ProviderID(try context.parameters.require("providerID"))
            let entryID = try context.entryIDParameter()
            let change = try await request.decodeJSON(as: Change.self, context: context)
            let notFound = APIError.notFound("entry \(entryID) of provider \(providerID)")
            guard caller.maySee(providerID) else { throw notFound }
            let found = try await latest(of: entryID, providerID: providerID)
            if case .queued = found { throw Self.changePending }
            guard case let .stored(latest, sequence, answered) = found,
                caller.role == .provider || latest.assistantID.rawValue == caller.assistant
            else { throw notFound }
            guard answered else { throw Self.changePending }
            // An assistant changes their visits while the month is open; later, only their NGO can (with a reason).
            if caller.role == .assistant, try await countsInClosedMonth(entryID, providerID: providerID) {
                throw APIError(.conflict, code: TimesheetRejectionCode.monthClosed.rawValue, message: "the visit's month is closed; ask your NGO")
            }
            var entry = latest
            entry.sequence = sequence + 1
            entry.action = change.action
            entry.start = change.start ?? entry.start
            entry.end = change.end ?? entry.end
            entry.activity = change.activity ?? entry.activity
            entry.expenses = change.expenses ?? entry.expenses
            entry.reason = change.reason
            entry.note = nil
            return try await queue(entry)
        }
        return routes
    }

    private static var alreadyRecorded: APIError {
        APIError(
            .conflict, code: "already-recorded", message: "this version is already recorded; its answer is in the entry's history")
    }

    private static var changePending: APIError {
        APIError(
            .conflict, code: "change-pending", message: "the entry's previous version has no answer yet; wait for it")
    }

    /// Checks the contract's rules, claims the version, signs it with the channel key and queues it.
    private func queue(_ entry: TimesheetEntrySubmitted) async throws -> JSONBody<SubmissionRoutes<Context>.Body> {
        if let problem = EntryValidity.problem(entry) {
            throw APIError(.unprocessableContent, code: TimesheetRejectionCode.invalidEntry.rawValue, message: problem)
        }
        let record = try EventCodec.encode(EventEnvelope(source: "/providers/\(entry.providerID)", data: entry))
        let key = try await keys.assistantChannelKey(providerID: entry.providerID)
        let claimed = try await submissions.enqueue(
            record: record, signature: Signature.header(keyID: key.keyID, secret: key.secret, value: record), entry: entry, claim: true)
        guard claimed else { throw Self.alreadyRecorded }
        return JSONBody(SubmissionRoutes<Context>.queued(entry, resultsTopic: resultsTopic), status: .accepted)
    }

    /// The order's participant, if the order is assigned to this assistant of this NGO and not cancelled.
    private func assignedOrder(_ orderID: OrderID, providerID: ProviderID, assistantID: AssistantID) async throws -> ParticipantID? {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT participant_id FROM orders WHERE order_id = \(orderID.rawValue) AND provider_id = \(providerID.rawValue)
                  AND assistant_id = \(assistantID.rawValue) AND cancelled_at IS NULL
                """
            ).first.map { ParticipantID(try $0.decode(String.self, at: 0)) }
        }
    }

    private func countsInClosedMonth(_ entryID: String, providerID: ProviderID) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT 1 FROM entry_outcomes o JOIN closed_months m ON m.edition_id = o.edition_id AND m.month = o.month
                WHERE o.provider_id = \(providerID.rawValue) AND o.entry_id = \(entryID) AND o.outcome = 'accepted' AND o.superseded_by IS NULL
                """
            ).first != nil
        }
    }

    enum Latest {
        case none
        /// Queued on the channel, not yet received by the consumer.
        case queued
        /// The newest version received (its content from the signed record), its sequence
        /// counting queued ones, and whether it has its answer with nothing queued after it.
        case stored(TimesheetEntrySubmitted, sequence: Int, answered: Bool)
    }

    private func latest(of entryID: String, providerID: ProviderID) async throws -> Latest {
        try await pool.withConnection { connection in
            let queued = try await connection.query(
                "SELECT max(sequence) FROM channel_versions WHERE provider_id = \(providerID.rawValue) AND entry_id = \(entryID)"
            ).first!.decode(Int?.self, at: 0)
            let stored = try await connection.query(
                """
                SELECT v.sequence, v.record, o.sequence IS NOT NULL FROM entry_versions v LEFT JOIN entry_outcomes o USING (provider_id, entry_id, sequence)
                WHERE v.provider_id = \(providerID.rawValue) AND v.entry_id = \(entryID) ORDER BY v.sequence DESC LIMIT 1
                """
            ).first
            guard let stored else { return queued == nil ? .none : .queued }
            let sequence = try stored.decode(Int.self, at: 0)
            // Stored versions decoded when they arrived; a record that is not an entry is not one to change.
            let entry = try EventCodec.decode(TimesheetEntrySubmitted.self, from: try stored.decode([UInt8].self, at: 1), validating: false).data
            return .stored(entry, sequence: max(sequence, queued ?? 0), answered: try stored.decode(Bool.self, at: 2) && (queued ?? 0) <= sequence)
        }
    }
}
