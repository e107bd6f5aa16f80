import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// One submitted version and its answer. The NGO's free-text note is not shown.
struct EntryVersionView: Codable, Sendable, Equatable {
    var sequence: Int
    var action: String
    var receivedAt: Date
    var assistantID: String
    var orderID: String
    var participantID: String
    var start: Date
    var end: Date
    var activity: String
    var reason: String?
    var eventID: String
    /// accepted, voided, rejected (or pending while its batch commits).
    var outcome: String
    var code: String?
    var message: String?
    var minutes: Int?
    var remainingMinutes: Int?
    var supersededBy: Int?
    /// Whether this version is the one that counts now.
    var counts: Bool
    var decidedAt: Date?
}

/// `GET /providers/{providerID}/entries/{entryID}`: every version of an entry
/// with its answer, oldest first — the audit trail. Operators and auditors
/// read any NGO's entries, an NGO only its own (another's is the same 404 as
/// an entry that does not exist).
struct EntryRoutes<Context: CallerRequestContext> {
    let store: HistoryStore

    struct Body: Encodable, Sendable {
        var providerID: String
        var entryID: String
        var versions: [EntryVersionView]
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("providers/{providerID}/entries/{entryID}") { _, context in
            let caller = try context.require(.operator, .auditor, .provider)
            let providerID = try ProviderID(context.parameters.require("providerID"))
            let raw = try context.parameters.require("entryID")
            let entryID = raw.removingPercentEncoding ?? raw
            let versions = caller.maySee(providerID) ? try await store.versions(of: entryID, providerID: providerID) : []
            guard !versions.isEmpty else { throw APIError.notFound("entry \(entryID) of provider \(providerID)") }
            return JSONBody(Body(providerID: providerID.rawValue, entryID: entryID, versions: versions))
        }
        return routes
    }
}
