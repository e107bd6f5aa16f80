import Domain
import FoundationEssentials
import Hummingbird
import ServiceRuntime

enum MonthClosing: Sendable, Equatable {
    case closed(Date)
    case alreadyClosed(Date)
    case unknownEdition
    case outsideEdition(DateRange)
}

/// `GET /editions/{editionID}/months/{yyyy-mm}` (operators, auditors): what the month
/// holds per NGO — confirmed, contested, unconfirmed visits, rejected entries — to read
/// before closing it. `POST /editions/{editionID}/months/{yyyy-mm}/close` (operators): from
/// then on the month's entries change only through corrections with a reason.
struct MonthRoutes<Context: CallerRequestContext> {
    let store: MonthStore

    struct Body: Encodable, Sendable {
        var editionID: String
        var month: String
        var closedAt: Date
        var alreadyClosed: Bool
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("editions/{editionID}/months/{month}") { _, context in
            try context.require(.operator, .auditor)
            let (editionID, month) = try Self.editionMonth(context)
            return JSONBody(try await store.summary(of: month, in: editionID))
        }
        routes.post("editions/{editionID}/months/{month}/close") { _, context in
            try context.require(.operator)
            let (editionID, month) = try Self.editionMonth(context)
            switch try await store.close(month, of: editionID) {
            case let .closed(at):
                return JSONBody(Body(editionID: editionID.rawValue, month: month.description, closedAt: at, alreadyClosed: false), status: .created)
            case let .alreadyClosed(at):
                return JSONBody(Body(editionID: editionID.rawValue, month: month.description, closedAt: at, alreadyClosed: true), status: .ok)
            case .unknownEdition:
                throw APIError.notFound("edition \(editionID)")
            case let .outsideEdition(period):
                throw APIError.invalid([.init(field: "month", message: "edition \(editionID) runs \(period.start) to \(period.end)")])
            }
        }
        return routes
    }

    private static func editionMonth(_ context: Context) throws -> (EditionID, YearMonth) {
        let editionID = try EditionID(context.parameters.require("editionID"))
        guard let month = YearMonth(try context.parameters.require("month")) else {
            throw APIError.invalid([.init(field: "month", message: "must be a month YYYY-MM")])
        }
        return (editionID, month)
    }
}
