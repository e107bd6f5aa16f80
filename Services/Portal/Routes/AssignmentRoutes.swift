import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// MOPS gives orders their assistants: a week's orders still waiting for one,
/// and for each order ordering's suggestions with the reason for each (who came
/// before, skills, how busy around the visit; every assignment rule — skills,
/// availability, 12 hours in 24, exclusions — already passed), assigned with one
/// button. A refusal (the assistant was booked meanwhile) comes back in Polish.
struct AssignmentRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let accounts: AccountStore
    let clock: ProgrammeClock

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("przydzielanie", use: week)
        routes.get("przydzielanie/{orderID}", use: order)
        routes.post("przydzielanie/{orderID}", use: assign)
        return routes
    }

    struct OrderRow: Sendable {
        var day: String
        var hours: String
        var activity: String
        var skills: String
        var link: String
    }

    struct WeekPage: Sendable {
        var range: String
        var orders: [OrderRow]
        var none: Bool
        var previous: String
        var next: String
    }

    static let weekField = Field("tydzien", label: "Tydzień od dnia", hint: "Na przykład 6.06.2022. Puste: ten tydzień.", autocomplete: "off")

    /// The Monday of the week holding `day`.
    static func monday(of day: CalendarDate) -> CalendarDate {
        let weekday = Calendar.programme.component(.weekday, from: day.startOfDay())
        return day.adding(days: -((weekday + 5) % 7))
    }

    @Sendable func week(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let typed = String(request.uri.queryParameters["tydzien"] ?? "")
        let today = CalendarDate(clock.now())
        guard typed.isEmpty || PolishInput.day(typed) != nil else {
            return pages.render(
                "assignments", title: "Przydzielanie asystentów", context: context, fields: [Self.weekField],
                errors: [FieldError(field: "tydzien", message: "Wpisz dzień, na przykład 6.06.2022.")], values: ["tydzien": typed],
                status: .unprocessableContent, path: "/przydzielanie")
        }
        let first = Self.monday(of: PolishInput.day(typed).flatMap { CalendarDate($0) } ?? today)
        let last = first.adding(days: 6)
        let orders = try await services.get(
            [ServiceRecords.Order].self, from: .ordering, "/orders?" + FormFields.query(["from": "\(first)", "to": "\(last)", "status": "placed"]),
            as: account)
        let content = WeekPage(
            range: "od \(PolishText.day(first.description)) do \(PolishText.day(last.description))",
            orders: orders.map { order in
                OrderRow(
                    day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)", activity: Labels.activity(order.activity),
                    skills: Labels.skills(order.requiredSkills),
                    link: "/przydzielanie/\(order.orderID.urlComponentEncoded)")
            },
            none: orders.isEmpty, previous: "/przydzielanie?tydzien=\(first.adding(days: -7))",
            next: "/przydzielanie?tydzien=\(first.adding(days: 7))")
        return pages.render(
            "assignments", title: "Przydzielanie asystentów", context: context, content: content, fields: [Self.weekField],
            values: ["tydzien": typed], path: "/przydzielanie")
    }

    struct SuggestionRow: Sendable {
        var providerID: String
        var assistantID: String
        var who: String
        var reason: String
        var skills: String
    }

    struct OrderPage: Sendable {
        var day: String
        var hours: String
        var activity: String
        var skills: String
        var status: String
        var assigned: String?
        var suggestions: [SuggestionRow]
        var none: Bool
        var mayAssign: Bool
        var action: String
        var back: String
    }

    @Sendable func order(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let notice: String? =
            request.uri.queryParameters["wynik"] == "przydzielono" ? "Asystent przydzielony. Uczestnik i organizacja to zobaczą." : nil
        return try await orderPage(context, account: account, orderID: try context.parameters.require("orderID"), notice: notice)
    }

    private func orderPage(
        _ context: PortalRequestContext, account: Account, orderID: String, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let order = try await services.order(orderID, as: account)
        let providers = try await services.providerNames(as: account)
        var suggestions: [ServiceRecords.Suggestion] = []
        if order.status == "placed" {
            let answer = try await services.send(.GET, .ordering, "/orders/\(orderID.urlComponentEncoded)/suggestions", as: account)
            if answer.status == .ok {
                suggestions = try EventCodec.foundationDecoder.decode([ServiceRecords.Suggestion].self, from: answer.body)
            }
        }
        let names = try await accounts.names(assistants: suggestions.map(\.assistantID) + [order.assistantID].compactMap { $0 })
        let name = { (assistantID: String, providerID: String) in
            "\(names[assistantID] ?? "Asystent \(assistantID)") (\(providers[providerID] ?? providerID))"
        }
        let day = CalendarDate(order.date) ?? CalendarDate(clock.now())
        let content = OrderPage(
            day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)", activity: Labels.activity(order.activity),
            skills: Labels.skills(order.requiredSkills, none: "bez szczególnych wymagań"),
            status: Labels.orderStatus(order.status, delivered: order.deliveredMinutes > 0).capitalizedFirst,
            assigned: order.assistantID.map { name($0, order.providerID ?? "") },
            suggestions: suggestions.map { suggestion in
                SuggestionRow(
                    providerID: suggestion.providerID, assistantID: suggestion.assistantID, who: name(suggestion.assistantID, suggestion.providerID),
                    reason: Labels.continuity(suggestion.continuity, earlierServices: suggestion.earlierServices)
                        + (suggestion.nearbyBookedMinutes == 0
                            ? " W dobie wokół wizyty nie ma innych wizyt."
                            : " W dobie wokół wizyty ma już \(PolishText.hours(suggestion.nearbyBookedMinutes)) innych wizyt."),
                    skills: Labels.skills(suggestion.skills))
            },
            none: suggestions.isEmpty, mayAssign: order.status == "placed", action: "/przydzielanie/\(orderID.urlComponentEncoded)",
            back: "/przydzielanie?tydzien=\(Self.monday(of: day))")
        return pages.render(
            "assignment", title: "Przydziel asystenta", context: context, content: content, notice: notice, status: status, path: "/przydzielanie")
    }

    @Sendable func assign(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let orderID = try context.parameters.require("orderID")
        struct Assignment: Encodable {
            var providerID: String
            var assistantID: String
        }
        let body = Assignment(providerID: context.form["organizacja"], assistantID: context.form["asystent"])
        let answer = try await services.send(
            .POST, .ordering, "/orders/\(orderID.urlComponentEncoded)/assignment", json: try JSONEncoder().encode(body), as: account)
        switch answer.status {
        case .ok: return .redirect(to: "/przydzielanie/\(orderID.urlComponentEncoded)?wynik=przydzielono", type: .normal)
        case .notFound: throw PortalDenial.notFound
        case .conflict, .unprocessableEntity:
            let refusal = ServiceRecords.Refusal(answer.body)
            return try await orderPage(context, account: account, orderID: orderID, notice: Labels.assignmentRefusal(refusal.code), status: .conflict)
        default: throw ServiceCallFailure.answered(.ordering, answer.status.code)
        }
    }
}
