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
        routes.post("przydzielanie/{orderID}/anulowanie", use: cancel)
        routes.get("przydzielanie/asystenci/{providerID}/{assistantID}", use: assistantWeek)
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
        day.adding(days: 1 - day.isoWeekday)
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
        var week: String
    }

    struct OrderPage: Sendable {
        var day: String
        var hours: String
        var activity: String
        var skills: String
        var status: String
        var assigned: String?
        var assignedWeek: String?
        var suggestions: [SuggestionRow]
        var none: Bool
        var mayAssign: Bool
        var mayCancel: Bool
        var action: String
        var participant: String
        var participantLink: String
        var back: String
    }

    @Sendable func order(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let notice: String? =
            switch request.uri.queryParameters["wynik"] {
            case "przydzielono": "Asystent przydzielony. Uczestnik i organizacja to zobaczą."
            case "zamowiono": "Zamówienie przyjęte. Wybierz asystenta z podpowiedzi."
            case "anulowano": "Zamówienie anulowane. Zarezerwowane godziny wróciły do puli uczestnika."
            default: nil
            }
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
            assignedWeek: order.assistantID.flatMap { id in order.providerID.map { Self.weekLink($0, id, monday: Self.monday(of: day)) } },
            suggestions: suggestions.map { suggestion in
                SuggestionRow(
                    providerID: suggestion.providerID, assistantID: suggestion.assistantID, who: name(suggestion.assistantID, suggestion.providerID),
                    reason: Labels.continuity(suggestion.continuity, earlierServices: suggestion.earlierServices)
                        + (suggestion.nearbyBookedMinutes == 0
                            ? " W dobie wokół wizyty nie ma innych wizyt."
                            : " W dobie wokół wizyty ma już \(PolishText.hours(suggestion.nearbyBookedMinutes)) innych wizyt."),
                    skills: Labels.skills(suggestion.skills),
                    week: Self.weekLink(suggestion.providerID, suggestion.assistantID, monday: Self.monday(of: day), orderID: orderID))
            },
            none: suggestions.isEmpty, mayAssign: order.status == "placed",
            mayCancel: order.status != "cancelled" && order.deliveredMinutes == 0, action: "/przydzielanie/\(orderID.urlComponentEncoded)",
            participant: order.participantID, participantLink: "/uczestnicy?" + FormFields.query(["szukaj": order.participantID]),
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

    /// MOPS cancels at any time before the visit was delivered: ordering's notice binds only participants.
    @Sendable func cancel(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let orderID = try context.parameters.require("orderID")
        let answer = try await services.send(
            .POST, .ordering, "/orders/\(orderID.urlComponentEncoded)/cancellation", json: Data(#"{"cancelledBy":"coordinator"}"#.utf8), as: account)
        switch answer.status {
        case .ok: return .redirect(to: "/przydzielanie/\(orderID.urlComponentEncoded)?wynik=anulowano", type: .normal)
        case .notFound: throw PortalDenial.notFound
        case .conflict, .unprocessableEntity:
            return try await orderPage(
                context, account: account, orderID: orderID, notice: Labels.cancellationRefusal(ServiceRecords.Refusal(answer.body)),
                status: .conflict)
        default: throw ServiceCallFailure.answered(.ordering, answer.status.code)
        }
    }

    // MARK: An assistant's week

    static func weekLink(_ providerID: String, _ assistantID: String, monday: CalendarDate, orderID: String? = nil) -> String {
        "/przydzielanie/asystenci/\(providerID.urlComponentEncoded)/\(assistantID.urlComponentEncoded)?"
            + FormFields.query(["tydzien": "\(monday)", "zamowienie": orderID ?? ""].filter { !$0.value.isEmpty })
    }

    struct WeekVisitRow: Sendable {
        var day: String
        var hours: String
        var activity: String
        var note: String
        var link: String
    }

    struct AssistantWeekPage: Sendable {
        var who: String
        var range: String
        var availability: String
        var grid: WeekGrid
        var clashes: String?
        var visits: [WeekVisitRow]
        var none: Bool
        var previous: String
        var next: String
        var back: String
        var backLabel: String
    }

    /// The assistant's assigned visits of a week as a grid over their availability,
    /// with the order being assigned (`zamowienie`) drawn where it would go.
    @Sendable func assistantWeek(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let providerID = try context.parameters.require("providerID")
        let assistantID = try context.parameters.require("assistantID")
        let query = request.uri.queryParameters
        let monday = Self.monday(of: query["tydzien"].flatMap { CalendarDate(String($0)) } ?? CalendarDate(clock.now()))
        let assistants = try await services.send(.GET, .ordering, "/providers/\(providerID.urlComponentEncoded)/assistants", as: account)
        guard assistants.status == .ok,
            let assistant = try? JSONDecoder().decode([ServiceRecords.Assistant].self, from: assistants.body).first(where: {
                $0.assistantID == assistantID
            })
        else { throw PortalDenial.notFound }
        let path = "/providers/\(providerID.urlComponentEncoded)/assistants/\(assistantID.urlComponentEncoded)/orders"
        let inWeek = { (order: ServiceRecords.Order) in CalendarDate(order.date).flatMap { WeekGrid.weekday(of: $0, from: monday) } != nil }
        var orders = try await services.get([ServiceRecords.Order].self, from: .ordering, path, as: account)
            .filter { $0.status == "assigned" && inWeek($0) }
        var proposedID: String?
        if let orderID = query["zamowienie"].map(String.init), !orders.contains(where: { $0.orderID == orderID }) {
            let proposed = try await services.order(orderID, as: account)
            if proposed.status == "placed", inWeek(proposed) {
                orders.append(proposed)
                proposedID = orderID
            }
        }
        orders.sort { $0.startsAt < $1.startsAt }
        let visits = WeekGrid.markingClashes(
            orders.compactMap { order in
                CalendarDate(order.date).map {
                    WeekGrid.Visit(
                        orderID: order.orderID, date: $0, start: order.start, end: order.end,
                        kind: order.orderID == proposedID ? .proposed : .assigned)
                }
            })
        let activities = Dictionary(orders.map { ($0.orderID, $0.activity) }, uniquingKeysWith: { first, _ in first })
        let name = try await accounts.names(assistants: [assistantID])[assistantID] ?? "asystent \(assistantID)"
        let provider = try await services.providerNames(as: account)[providerID] ?? providerID
        let clashes = visits.filter { !$0.clashes.isEmpty }.map { "\(PolishText.day($0.date.description)) \($0.start)–\($0.end)" }
        let content = AssistantWeekPage(
            who: "\(name) (\(provider))",
            range: "\(PolishText.day(monday.description)) do \(PolishText.day(monday.adding(days: 6).description))",
            availability: Labels.availability(assistant.availability),
            grid: WeekGrid(id: "tydzien-asystenta", monday: monday, availability: assistant.availability, visits: visits),
            clashes: clashes.isEmpty ? nil : clashes.joined(separator: "; "),
            visits: visits.map { visit in
                WeekVisitRow(
                    day: PolishText.day(visit.date.description), hours: "\(visit.start)–\(visit.end)",
                    activity: Labels.activity(activities[visit.orderID] ?? ""),
                    note: visit.kind == .proposed
                        ? "zamówienie, które przydzielasz"
                            + (visit.clashes.isEmpty ? "; mieści się" : "; nakłada się z: " + visit.clashes.joined(separator: ", "))
                        : visit.clashes.isEmpty ? "—" : "nakłada się z: " + visit.clashes.joined(separator: ", "),
                    link: "/przydzielanie/\(visit.orderID.urlComponentEncoded)")
            },
            none: visits.isEmpty,
            previous: Self.weekLink(providerID, assistantID, monday: monday.adding(days: -7)),
            next: Self.weekLink(providerID, assistantID, monday: monday.adding(days: 7)),
            back: proposedID.map { "/przydzielanie/\($0.urlComponentEncoded)" } ?? "/przydzielanie?tydzien=\(monday)",
            backLabel: proposedID == nil ? "Wróć do zamówień tygodnia" : "Wróć do przydzielania tego zamówienia")
        return pages.render("assistant-week", title: "Tydzień asystenta", context: context, content: content, path: "/przydzielanie")
    }
}
