import Domain
import EventJSON
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

/// `POST /providers/{providerID}/assistants/{assistantID}/visits`: an assistant
/// records a visit they delivered, with their own bearer token (the portal's
/// page; no NGO key in a browser). Only for an order assigned to them: any
/// other order is the same 404 as one that does not exist. Timesheet makes it
/// an entry of the assistant's NGO (`entryID` `wizyta-<orderID>`), signs it
/// with the NGO's assistant-channel key and puts it on the submissions topic,
/// so it is answered exactly like the NGO's own entries, on the results topic
/// and in `GET /providers/{providerID}/entries/{entryID}`; the version's
/// signature names the channel, so the audit trail shows who submitted it.
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
            if let problem = EntryValidity.problem(entry) {
                throw APIError(.unprocessableContent, code: TimesheetRejectionCode.invalidEntry.rawValue, message: problem)
            }
            guard try await !recorded(entry) else {
                throw APIError(.conflict, code: "already-recorded", message: "this visit is already recorded; its answer is in its history")
            }
            let record = try EventCodec.encode(EventEnvelope(source: "/providers/\(providerID)", data: entry))
            let key = try await keys.assistantChannelKey(providerID: providerID)
            try await submissions.enqueue(
                record: record, signature: Signature.header(keyID: key.keyID, secret: key.secret, value: record), entry: entry)
            return JSONBody(SubmissionRoutes<Context>.queued(entry, resultsTopic: resultsTopic), status: .accepted)
        }
        return routes
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

    private func recorded(_ entry: TimesheetEntrySubmitted) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT 1 FROM entry_versions WHERE provider_id = \(entry.providerID.rawValue) AND entry_id = \(entry.entryID)"
            ).first != nil
        }
    }
}
