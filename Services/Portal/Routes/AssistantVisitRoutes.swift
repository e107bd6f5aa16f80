import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// An assistant's visits, phone first: the orders assigned to them (ordering),
/// and recording one as delivered (timesheet, with the assistant's own token).
/// The answer is on the page the assistant lands on after saving: the portal
/// waits for it (up to `answerWait`) instead of asking the assistant to reload.
struct AssistantVisitRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    /// How long the save waits for timesheet's answer before showing the visit anyway.
    var answerWait: Duration = .seconds(5)

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("wizyty", use: list)
        routes.get("wizyty/{orderID}", use: show)
        routes.post("wizyty/{orderID}", use: record)
        return routes
    }

    struct VisitRow: Sendable {
        var orderID: String
        var day: String
        var hours: String
        var activity: String
        var place: String
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let orders = try await services.assignedOrders(of: account).filter { $0.status == "assigned" }
        let now = clock.now()
        let weekAhead = now.addingTimeInterval(7 * 86400)
        let monthAgo = now.addingTimeInterval(-31 * 86400)
        func row(_ order: ServiceRecords.Order) -> VisitRow {
            VisitRow(
                orderID: order.orderID, day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
                activity: ActivityCategory(rawValue: order.activity).map(Labels.activity) ?? order.activity, place: order.place)
        }
        let upcoming = orders.filter { (Timestamp.parse($0.endsAt) ?? now) >= now && (Timestamp.parse($0.startsAt) ?? now) <= weekAhead }
        let toRecord = orders.filter {
            let end = Timestamp.parse($0.endsAt) ?? now
            return end < now && end > monthAgo && $0.deliveredMinutes == 0
        }
        return pages.render(
            "visits", title: "Moje wizyty", context: context,
            content: [
                "upcoming": upcoming.map(row), "noUpcoming": upcoming.isEmpty, "toRecord": toRecord.reversed().map(row),
                "noneToRecord": toRecord.isEmpty,
            ], path: "/wizyty")
    }

    // MARK: One visit

    static let fields = [
        Field("od", label: "Początek wizyty", hint: "Godzina, o której naprawdę zaczęła się wizyta, na przykład 09:00.", autocomplete: "off"),
        Field("do", label: "Koniec wizyty", hint: "Na przykład 11:30.", autocomplete: "off"),
        Field(
            "rodzaj", label: "W czym pomagałeś", type: "select",
            options: ActivityCategory.allCases.map { Field.Option(value: $0.rawValue, label: Labels.activity($0)) }),
        Field("dojazd", label: "Koszt dojazdu (zł)", hint: "Na przykład 7,40. Zostaw 0, jeśli nie było kosztów.", autocomplete: "off"),
        Field("bilety", label: "Bilety wstępu (zł)", autocomplete: "off"),
        Field("ochrona", label: "Środki ochrony (zł)", autocomplete: "off"),
    ]

    struct VisitPage: Sendable {
        var orderID: String
        var day: String
        var hours: String
        var activity: String
        var place: String
        var answer: Answer?
        var waiting: Bool
        var mayRecord: Bool
    }

    /// Timesheet's answer to the visit's entry, in words.
    struct Answer: Sendable {
        var accepted: Bool
        var text: String
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        let answer = try await self.answer(for: order, of: account)
        let values =
            context.form.values.isEmpty
            ? ["od": order.start, "do": order.end, "rodzaj": order.activity, "dojazd": "0", "bilety": "0", "ochrona": "0"]
            : context.form.values
        return page(context, order: order, answer: answer, values: values, saved: request.uri.queryParameters["zapisano"] != nil)
    }

    private func page(
        _ context: PortalRequestContext, order: ServiceRecords.Order, answer: Answer??, errors: [FieldError] = [], values: [String: String],
        saved: Bool = false, status: HTTPResponse.Status = .ok
    ) -> Response {
        let recorded = answer != nil
        let content = VisitPage(
            orderID: order.orderID, day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
            activity: ActivityCategory(rawValue: order.activity).map(Labels.activity) ?? order.activity, place: order.place,
            answer: answer ?? nil, waiting: recorded && (answer ?? nil) == nil, mayRecord: !recorded)
        return pages.render(
            "visit", title: "Wizyta \(PolishText.day(order.date))", context: context, content: content, fields: Self.fields, errors: errors,
            values: values, notice: saved ? "Zapisano. Oto odpowiedź systemu rozliczeń." : nil, status: status, path: "/wizyty")
    }

    @Sendable func record(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        let form = context.form
        var errors: [FieldError] = []
        let start = PolishInput.time(form["od"]).flatMap { ProgrammeTime.instant(day: order.date, time: $0) }
        var end = PolishInput.time(form["do"]).flatMap { ProgrammeTime.instant(day: order.date, time: $0) }
        if start == nil { errors.append(FieldError(field: "od", message: "Wpisz godzinę początku, na przykład 09:00.")) }
        if end == nil { errors.append(FieldError(field: "do", message: "Wpisz godzinę końca, na przykład 11:30.")) }
        if let start, let ended = end, ended <= start { end = ended.addingTimeInterval(86400) }
        if ActivityCategory(rawValue: form["rodzaj"]) == nil { errors.append(FieldError(field: "rodzaj", message: "Wybierz, w czym pomagałeś.")) }
        var expenses: [String: String] = [:]
        for (field, key) in [("dojazd", "travel"), ("bilety", "tickets"), ("ochrona", "protectiveEquipment")] {
            let text = form[field].isEmpty ? "0" : form[field].replacingOccurrences(of: ",", with: ".")
            guard let amount = Decimal(string: text), amount >= 0, amount < 10000 else {
                errors.append(FieldError(field: field, message: "Wpisz kwotę w złotych, na przykład 7,40."))
                continue
            }
            expenses[key] = text
        }
        guard errors.isEmpty, let start, let end else {
            return page(context, order: order, answer: .some(nil), errors: errors, values: form.values, status: .unprocessableContent)
        }
        let body: [String: Any] = [
            "orderID": order.orderID, "start": Timestamp.format(start), "end": Timestamp.format(end), "activity": form["rodzaj"],
            "expenses": expenses,
        ]
        let path = "/providers/\(account.providerID ?? "")/assistants/\(account.assistantID ?? "")/visits"
        let answer = try await services.send(.POST, .timesheet, path, json: try JSONSerialization.data(withJSONObject: body), as: account)
        switch answer.status {
        case .accepted, .conflict:
            // Wait here for the answer, so the page the assistant lands on has it.
            let deadline = ContinuousClock.now + answerWait
            while ContinuousClock.now < deadline, try await self.answer(for: order, of: account) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            return .redirect(to: "/wizyty/\(order.orderID.urlComponentEncoded)?zapisano=1", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default:
            let refusal = ServiceRecords.Refusal(answer.body)
            return page(
                context, order: order, answer: .some(nil),
                errors: [FieldError(field: "od", message: "Nie udało się zapisać wizyty: \(refusal.message)")],
                values: form.values, status: .unprocessableContent)
        }
    }

    /// nil: not recorded yet; .some(nil): recorded, no answer yet; .some(answer): answered.
    private func answer(for order: ServiceRecords.Order, of account: Account) async throws -> Answer?? {
        let path = "/providers/\(account.providerID ?? "")/entries/wizyta-\(order.orderID.urlComponentEncoded)"
        let answer = try await services.send(.GET, .timesheet, path, as: account)
        guard answer.status == .ok, let history = try? JSONDecoder().decode(ServiceRecords.EntryHistory.self, from: answer.body),
            let latest = history.versions.last
        else { return nil }
        switch latest.outcome {
        case "accepted":
            return .some(Answer(accepted: true, text: "Przyjęta: \(PolishText.hours(latest.minutes ?? 0)) zaliczone do godzin uczestnika."))
        case "rejected":
            return .some(Answer(accepted: false, text: Labels.rejection(latest.code ?? "", message: latest.message ?? "")))
        default: return .some(nil)
        }
    }
}
