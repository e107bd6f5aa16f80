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

    static let newOrderFields = [
        Field("data", label: "Dzień", hint: "Na przykład 10.05.2022.", autocomplete: "off"),
        Field("od", label: "Od godziny", hint: "Na przykład 09:00.", autocomplete: "off"),
        Field(
            "do", label: "Do godziny", hint: "Na przykład 11:30. Jeśli wizyta kończy się po północy, wpisz godzinę następnego dnia.",
            autocomplete: "off"),
        Field(
            "rodzaj", label: "W czym asystent ma pomóc", type: "select",
            options: ActivityCategory.allCases.map { Field.Option(value: $0.rawValue, label: Labels.activity($0)) }),
        Field(
            "miejsce", label: "Miejsce spotkania z asystentem", hint: "Adres, na przykład ul. Legnicka 12, Wrocław.", autocomplete: "street-address"),
        Field(
            "potrzeby", label: "Czego potrzebujesz od asystenta (jeśli czegoś szczególnego)", type: "checkbox",
            options: Skill.allCases.map { Field.Option(value: $0.rawValue, label: Labels.skill($0)) }),
    ]

    /// The order form. A participant may ask for an assistant who served them before
    /// (their assigned orders' assistants, named from the portal's accounts); the
    /// place starts as the one of their latest order.
    private func newOrder(
        _ context: PortalRequestContext, account: Account, errors: [FieldError] = [], values: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let orders = try await services.orders(of: account).sorted { $0.startsAt > $1.startsAt }
        var served: [String: Int] = [:]
        for order in orders where order.status != "cancelled" { if let id = order.assistantID { served[id, default: 0] += 1 } }
        let names = try await accounts.names(assistants: Array(served.keys))
        let preferred = Field(
            "asystent", label: "Asystent, który już u Ciebie był (nieobowiązkowe)",
            hint: "Jeśli ta osoba będzie wtedy wolna, koordynator przydzieli ją w pierwszej kolejności.", type: "select",
            options: served.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { id, visits in
                Field.Option(value: id, label: "\(names[id].map(PolishText.firstName) ?? "asystent bez konta w Platformie") (wizyty: \(visits))")
            })
        return pages.render(
            "order-new", title: "Zamów usługę asystencji", context: context, content: ["mayPrefer": !served.isEmpty],
            fields: Self.newOrderFields + [preferred], errors: errors, values: values ?? ["miejsce": orders.first?.place ?? ""], status: status,
            path: "/zamowienia/nowe")
    }

    @Sendable func place(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let form = context.form
        var errors: [FieldError] = []
        let day = PolishInput.day(form["data"])
        let start = PolishInput.time(form["od"])
        let end = PolishInput.time(form["do"])
        if day == nil { errors.append(FieldError(field: "data", message: "Wpisz dzień wizyty, na przykład 10.05.2022.")) }
        if start == nil { errors.append(FieldError(field: "od", message: "Wpisz, od której godziny, na przykład 09:00.")) }
        if end == nil { errors.append(FieldError(field: "do", message: "Wpisz, do której godziny, na przykład 11:30.")) }
        if ActivityCategory(rawValue: form["rodzaj"]) == nil {
            errors.append(FieldError(field: "rodzaj", message: "Wybierz, w czym asystent ma pomóc."))
        }
        if form["miejsce"].isEmpty { errors.append(FieldError(field: "miejsce", message: "Wpisz, gdzie asystent ma przyjść.")) }
        guard errors.isEmpty, let day, let start, let end else {
            return try await newOrder(context, account: account, errors: errors, values: form.values, status: .unprocessableContent)
        }

        let skills = Skill.allCases.filter { form["potrzeby-" + $0.rawValue] == "tak" }.map(\.rawValue)
        var body: [String: Any] = [
            "participantID": account.participantID ?? "", "date": day, "start": start, "end": end, "activity": form["rodzaj"],
            "place": form["miejsce"], "requiredSkills": skills,
        ]
        if !form["asystent"].isEmpty { body["preferredAssistantID"] = form["asystent"] }
        let answer = try await services.send(.POST, .ordering, "/orders", json: try JSONSerialization.data(withJSONObject: body), as: account)
        guard answer.status == .created else {
            let refusal = ServiceRecords.Refusal(answer.body)
            return try await newOrder(
                context, account: account, errors: Self.orderErrors(refusal), values: form.values, status: .unprocessableContent)
        }
        return .redirect(to: "/zamowienia?wynik=zamowiono", type: .normal)
    }

    /// Ordering's refusal, next to the field it concerns.
    static func orderErrors(_ refusal: ServiceRecords.Refusal) -> [FieldError] {
        let fieldNames = ["date": "data", "start": "od", "end": "do", "activity": "rodzaj", "place": "miejsce", "requiredSkills": "potrzeby"]
        switch refusal.code {
        case "no-grant": return [FieldError(field: "data", message: "Nie masz przyznanej usługi asystencji. Zapytaj w MOPS o decyzję.")]
        case "outside-grant-period":
            return [FieldError(field: "data", message: "Ten dzień jest poza okresem, na który przyznano usługę. Wybierz dzień z tego okresu.")]
        case "allowance-exceeded":
            return [
                FieldError(
                    field: "do", message: "Zostało Ci za mało godzin na tak długą wizytę. Skróć ją; ile godzin zostało, widać na stronie głównej.")
            ]
        case "preferred-assistant-unknown":
            return [FieldError(field: "asystent", message: "Wybierz asystenta z listy: tylko kogoś, kto już u Ciebie był.")]
        case "invalid-input":
            let errors = refusal.fields.compactMap { field -> FieldError? in
                guard let name = fieldNames[String(field.field.prefix { $0 != "[" && $0 != "." })] else { return nil }
                return FieldError(field: name, message: "Sprawdź to pole: wartość jest nieprawidłowa.")
            }
            return errors.isEmpty ? [FieldError(field: "data", message: "Sprawdź dzień i godziny wizyty.")] : errors
        default: return [FieldError(field: "data", message: "Nie udało się przyjąć zamówienia. Sprawdź dane i spróbuj ponownie.")]
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
            let refusal = ServiceRecords.Refusal(answer.body)
            let message =
                switch refusal.code {
                case "order-delivered": "Tej wizyty nie można już anulować: została zrealizowana."
                case "cancellation-too-late":
                    "Na anulowanie przez Platformę jest już za późno: minął termin podany przy zamówieniu. Zadzwoń do koordynatora w MOPS albo w organizacji."
                default: "Tego zamówienia nie można anulować (\(refusal.message))."
                }
            return pages.render(
                "problem", title: "Nie można anulować", context: context,
                content: Problem(heading: "Nie można anulować zamówienia", explanation: message), status: .conflict)
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
