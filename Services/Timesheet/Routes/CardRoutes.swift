import Domain
import FoundationEssentials
import Hummingbird
import ServiceRuntime

/// The participant's monthly card ("karta realizacji usług").
/// - `GET /participants/{participantID}/months/{yyyy-mm}`: the visits that count, each
///   with whether the month's confirmation covers it and its contest (operators,
///   auditors, the participant themselves; another's id is a 404).
/// - `POST /participants/{participantID}/months/{yyyy-mm}/confirmation`: the participant
///   (or their guardian) confirms the month, once.
/// - `POST /participants/{participantID}/contests`: the participant contests a visit that
///   counts, before confirming its month.
/// - `POST /providers/{providerID}/entries/{entryID}/contest/settlement`: an operator
///   decides an open contest — the visit stands as recorded. (The NGO settles a contest
///   by correcting or voiding the entry.)
struct CardRoutes<Context: CallerRequestContext> {
    let store: CardStore

    struct Contest: Decodable, Sendable {
        var providerID: String
        var entryID: String
        var reason: ContestReason
        var comment: String?
    }

    struct Confirmed: Encodable, Sendable {
        var participantID: String
        var month: String
        var confirmedAt: Date
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("participants/{participantID}/months/{month}") { _, context in
            let caller = try context.require(.operator, .auditor, .participant)
            let (participantID, month) = try Self.participantMonth(context, caller: caller)
            return JSONBody(try await store.card(of: participantID, month: month))
        }
        routes.post("participants/{participantID}/months/{month}/confirmation") { _, context in
            let caller = try context.require(.participant)
            let (participantID, month) = try Self.participantMonth(context, caller: caller)
            switch try await store.confirm(month, of: participantID) {
            case let .confirmed(at):
                return JSONBody(Confirmed(participantID: participantID.rawValue, month: month.description, confirmedAt: at), status: .created)
            case let .alreadyConfirmed(at):
                throw APIError(
                    .conflict, code: "month-confirmed", message: "this month was already confirmed",
                    details: ["confirmedAt": at.formatted(.iso8601)])
            case .nothingToConfirm:
                throw APIError(.unprocessableContent, code: "nothing-to-confirm", message: "no visit counts in this month yet")
            }
        }
        routes.post("participants/{participantID}/contests") { request, context in
            let caller = try context.require(.participant)
            let participantID = try context.participantParameter(for: caller)
            let body = try await request.decodeJSON(as: Contest.self, context: context)
            let comment = body.comment?.trimmed
            if let comment, comment.count > 500 || comment.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" })
            {
                throw APIError.invalid([.init(field: "comment", message: "at most 500 characters, no control characters")])
            }
            let outcome = try await store.contest(
                providerID: ProviderID(body.providerID), entryID: body.entryID, of: participantID, reason: body.reason,
                comment: comment?.isEmpty == false ? comment : nil)
            switch outcome {
            case let .contested(event):
                return JSONBody(event, status: .created)
            case .notCounted:
                throw APIError.notFound("a visit \(body.entryID) that counts for this participant")
            case .monthConfirmed:
                throw APIError(.conflict, code: "month-confirmed", message: "the visit's month is already confirmed")
            case .alreadyContested:
                throw APIError(.conflict, code: "already-contested", message: "this visit is already contested")
            }
        }
        routes.post("providers/{providerID}/entries/{entryID}/contest/settlement") { _, context in
            try context.require(.operator)
            let providerID = ProviderID(try context.parameters.require("providerID"))
            let entryID = try context.entryIDParameter()
            guard let settled = try await store.settleAsStanding(providerID: providerID, entryID: entryID) else {
                throw APIError.notFound("an open contest of entry \(entryID)")
            }
            return JSONBody(settled)
        }
        return routes
    }

    private static func participantMonth(_ context: Context, caller: Caller) throws -> (ParticipantID, YearMonth) {
        let participantID = try context.participantParameter(for: caller)
        guard let month = YearMonth(try context.parameters.require("month")) else {
            throw APIError.invalid([.init(field: "month", message: "must be YYYY-MM")])
        }
        return (participantID, month)
    }
}
