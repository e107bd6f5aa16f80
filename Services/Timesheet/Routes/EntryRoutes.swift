import Domain
import FoundationEssentials
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

/// A visit as it counts now: the accepted version of an entry not voided since.
struct CountedEntryView: Codable, Sendable, Equatable {
    var providerID: String
    var entryID: String
    var sequence: Int
    var assistantID: String
    var orderID: String
    var start: Date
    var end: Date
    var minutes: Int
    var month: String
}

/// `GET /providers/{providerID}/entries` (`?month=YYYY-MM&assistantID=`): an NGO's
/// entries, each as its newest version with its answer and open contest, rejected
/// first (`HistoryStore.entries`). `GET /providers/{providerID}/entries/{entryID}`: every version of an entry
/// with its answer, oldest first — the audit trail. Operators and auditors
/// read any NGO's entries, an NGO only its own (another's is the same 404 as
/// an entry that does not exist), an assistant only the entries of their own
/// visits. `GET /participants/{participantID}/entries`:
/// the visits that count for a participant, by start (`?month=YYYY-MM` for one
/// month) — for operators, auditors and the participant themselves (another's
/// id is a 404).
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
            let caller = try context.require(.operator, .auditor, .provider, .assistant)
            let providerID = try ProviderID(context.parameters.require("providerID"))
            let entryID = try context.entryIDParameter()
            var versions = caller.maySee(providerID) ? try await store.versions(of: entryID, providerID: providerID) : []
            // An assistant reads the entries of their own visits only.
            if caller.role == .assistant, versions.contains(where: { $0.assistantID != caller.assistant }) { versions = [] }
            guard !versions.isEmpty else { throw APIError.notFound("entry \(entryID) of provider \(providerID)") }
            return JSONBody(Body(providerID: providerID.rawValue, entryID: entryID, versions: versions))
        }
        routes.get("providers/{providerID}/entries") { request, context in
            let caller = try context.require(.operator, .auditor, .provider)
            let providerID = try ProviderID(context.parameters.require("providerID"))
            guard caller.maySee(providerID) else { throw APIError.notFound("provider \(providerID)") }
            let month = try Self.month(request)
            let assistantID = try request.uri.queryParameters.get("assistantID").map { text in
                guard (1...128).contains(text.unicodeScalars.count) else {
                    throw APIError.invalid([.init(field: "assistantID", message: "must have 1 to 128 characters")])
                }
                return AssistantID(text)
            }
            let entries = try await store.entries(of: providerID, month: month, assistantID: assistantID, limit: Self.listLimit + 1)
            return JSONBody(EntryList(entries: Array(entries.prefix(Self.listLimit)), truncated: entries.count > Self.listLimit))
        }
        routes.get("participants/{participantID}/entries") { request, context in
            let caller = try context.require(.operator, .auditor, .participant)
            let participantID = try context.participantParameter(for: caller)
            return JSONBody(try await store.counted(participantID: participantID, month: try Self.month(request)))
        }
        return routes
    }

    /// At most this many entries in one list; a month and an assistant narrow it.
    static var listLimit: Int { 1000 }

    struct EntryList: Encodable, Sendable {
        var entries: [ProviderEntryView]
        /// More entries matched than the list holds.
        var truncated: Bool
    }

    private static func month(_ request: Request) throws -> YearMonth? {
        try request.uri.queryParameters.get("month").map { text in
            guard let month = YearMonth(text) else { throw APIError.invalid([.init(field: "month", message: "must be YYYY-MM")]) }
            return month
        }
    }
}
