import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// A participant's (or guardian's) orders: the list with each order's state,
/// ordering a service, cancelling, rating a delivered visit. Every change goes
/// to ordering's API with the participant's token, so ordering's rules decide,
/// and its refusals come back next to the field they concern, in Polish.
struct ParticipantOrderRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("zamowienia", use: list)
        routes.get("zamowienia/nowe") { request, context in
            let account = try context.person(request, .participant)
            // A form kept across an expired session comes back as typed.
            return try await newOrder(context, account: account, values: context.form.values.isEmpty ? nil : context.form.values)
        }
        routes.post("zamowienia/nowe", use: place)
        routes.post("zamowienia/{orderID}/anulowanie", use: cancel)
        routes.get("zamowienia/{orderID}/ocena", use: ratingForm)
        routes.post("zamowienia/{orderID}/ocena", use: rate)
        return routes
    }

    // MARK: The list

    struct OrderRow: Sendable {
        var orderID: String
        var day: String
        var hours: String
        var activity: String
        var status: String
        var mayCancel: Bool
        /// Until when it may be cancelled here, while it may; why not, when only the notice prevents it.
        var cancelNote: String?
        var mayRate: Bool
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let orders = try await services.orders(of: account)
        let now = clock.now()
        let rows = orders.sorted { $0.startsAt > $1.startsAt }.map { order in
            let open = order.status != "cancelled" && order.deliveredMinutes == 0
            let start = Timestamp.parse(order.startsAt) ?? now
            let until = Timestamp.parse(order.cancellableUntil) ?? start
            return OrderRow(
                orderID: order.orderID, day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
                activity: Labels.activity(order.activity),
                status: Labels.orderStatus(order.status, delivered: order.deliveredMinutes > 0),
                mayCancel: open && until > now, cancelNote: Self.cancelNote(open: open, until: until, start: start, now: now),
                mayRate: order.deliveredMinutes > 0 && !order.rated)
        }
        let notice: String? =
            switch request.uri.queryParameters["wynik"] {
            case "zamowiono": "Zamówienie przyjęte. Gdy MOPS albo organizacja przydzieli asystenta, zobaczysz to tutaj."
            case "anulowano": "Zamówienie anulowane. Zarezerwowane godziny wróciły do puli."
            case "oceniono": "Dziękujemy za ocenę."
            default: nil
            }
        return pages.render(
            "orders", title: "Moje zamówienia", context: context, content: ["orders": rows, "none": rows.isEmpty], notice: notice,
            path: "/zamowienia")
    }

    /// "Możesz anulować do 5 maja 2022 r., 09:00", or, past the notice and before the start, why not.
    private static func cancelNote(open: Bool, until: Date, start: Date, now: Date) -> String? {
        guard open, start > now else { return nil }
        if until > now { return "Możesz anulować do \(PolishText.date(until)), \(PolishText.time(until))." }
        return "Na anulowanie tutaj jest już za późno. Jeśli wizyta nie może się odbyć, zadzwoń do koordynatora."
    }

    // MARK: Ordering a service

    static let form = OrderForm(orderer: .participant)

    /// The order form; the place starts as the one of their latest order.
    private func newOrder(
        _ context: PortalRequestContext, account: Account, errors: [FieldError] = [], values: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let orders = try await services.orders(of: account).sorted { $0.startsAt > $1.startsAt }
        let preferred = try await Self.form.preferredAssistant(orders, accounts: accounts)
        let page = OrderForm.Page(
            heading: "Zamów usługę asystencji",
            intro: "Wypełnij formularz. Godziny wizyty odejmiemy od Twoich przyznanych godzin, gdy zamówienie zostanie przyjęte.",
            action: "/zamowienia/nowe", back: "/zamowienia", backLabel: "Wróć do moich zamówień", mayPrefer: !preferred.options.isEmpty)
        return pages.render(
            "order-new", title: page.heading, context: context, content: page, fields: Self.form.fields + [preferred], errors: errors,
            values: values ?? ["miejsce": orders.first?.place ?? ""], status: status, path: "/zamowienia/nowe")
    }

    @Sendable func place(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        switch try await Self.form.place(context.form, for: account.participantID ?? "", as: account, services: services) {
        case .failure(let refused):
            return try await newOrder(context, account: account, errors: refused.errors, values: context.form.values, status: .unprocessableContent)
        case .success: return .redirect(to: "/zamowienia?wynik=zamowiono", type: .normal)
        }
    }

    // MARK: Cancelling and rating

    @Sendable func cancel(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let orderID = try context.parameters.require("orderID")
        let answer = try await services.send(
            .POST, .ordering, "/orders/\(orderID.urlComponentEncoded)/cancellation", json: Data(#"{"cancelledBy":"participant"}"#.utf8), as: account)
        switch answer.status {
        case .ok: return .redirect(to: "/zamowienia?wynik=anulowano", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default:
            return pages.render(
                "problem", title: "Nie można anulować", context: context,
                content: Problem(
                    heading: "Nie można anulować zamówienia", explanation: Labels.cancellationRefusal(ServiceRecords.Refusal(answer.body))),
                status: .conflict)
        }
    }

    static let ratingQuestions = [
        ("punctuality", "Punktualność"), ("kindness", "Życzliwość i szacunek"), ("help", "Czy pomoc była taka, jakiej potrzebowałeś"),
    ]

    static var ratingFields: [Field] {
        ratingQuestions.map { question, label in
            Field(question, label: label, type: "radio", options: (1...5).reversed().map { Field.Option(value: "\($0)", label: "\($0)") })
        } + [Field("komentarz", label: "Komentarz (nieobowiązkowo)", hint: "Zobaczy go tylko MOPS.", type: "textarea")]
    }

    @Sendable func ratingForm(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        return ratingPage(context, order: order, values: context.form.values)
    }

    private func ratingPage(
        _ context: PortalRequestContext, order: ServiceRecords.Order, errors: [FieldError] = [], values: [String: String],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.render(
            "order-rating", title: "Oceń wizytę", context: context,
            content: ["orderID": order.orderID, "day": PolishText.day(order.date), "hours": "\(order.start)–\(order.end)"],
            fields: Self.ratingFields, errors: errors, values: values, status: status)
    }

    @Sendable func rate(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        let form = context.form
        let scores = Self.ratingQuestions.compactMap { question, _ in
            Int(form[question]).map { ["question": question, "score": $0] as [String: Any] }
        }
        guard scores.count == Self.ratingQuestions.count else {
            let missing = Self.ratingQuestions.filter { Int(form[$0.0]) == nil }.map {
                FieldError(field: $0.0, message: "Wybierz ocenę od 1 do 5: \($0.1.lowercased()).")
            }
            return ratingPage(context, order: order, errors: missing, values: form.values, status: .unprocessableContent)
        }
        var body: [String: Any] = ["scores": scores]
        if !form["komentarz"].isEmpty { body["comment"] = form["komentarz"] }
        let answer = try await services.send(
            .POST, .ordering, "/orders/\(order.orderID.urlComponentEncoded)/rating", json: try JSONSerialization.data(withJSONObject: body),
            as: account)
        guard answer.status == .created else {
            let refusal = ServiceRecords.Refusal(answer.body)
            let message = refusal.code == "already-rated" ? "Ta wizyta jest już oceniona." : "Nie udało się zapisać oceny: \(refusal.message)"
            return ratingPage(
                context, order: order, errors: [FieldError(field: "komentarz", message: message)], values: form.values, status: .conflict)
        }
        return .redirect(to: "/zamowienia?wynik=oceniono", type: .normal)
    }
}
