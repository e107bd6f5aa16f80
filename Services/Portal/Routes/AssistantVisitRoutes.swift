import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// An assistant's visits, phone first: the orders assigned to them (ordering),
/// and recording one as delivered (timesheet, with the assistant's own token).
/// The answer is on the page the assistant lands on after saving: the portal
/// waits for it (`EntryChanges.answerWait`) instead of asking the assistant to
/// reload. A recorded visit can be corrected or voided from the same page.
struct AssistantVisitRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    let entries: EntryChanges
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("wizyty", use: list)
        routes.get("wizyty/{orderID}", use: show)
        routes.post("wizyty/{orderID}", use: record)
        routes.post("wizyty/{orderID}/zmiana", use: change)
        return routes
    }

    struct VisitRow: Sendable {
        var orderID: String
        var day: String
        var hours: String
        var activity: String
        var place: String
        /// The participant's first name, when the portal knows it.
        var participant: String?
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let orders = try await services.assignedOrders(of: account).filter { $0.status == "assigned" }
        let now = clock.now()
        let weekAhead = now.addingTimeInterval(7 * 86400)
        let monthAgo = now.addingTimeInterval(-31 * 86400)
        let names = try await accounts.names(participants: Array(Set(orders.map(\.participantID))))
        func row(_ order: ServiceRecords.Order) -> VisitRow {
            VisitRow(
                orderID: order.orderID, day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
                activity: Labels.activity(order.activity), place: order.place, participant: names[order.participantID].map(PolishText.firstName))
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
        var answer: EntryChanges.Answer?
        var waiting: Bool
        var mayRecord: Bool
        /// A recorded visit not voided: correct it or void it.
        var mayChange: Bool
        var changeAction: String
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        let newest = try await newestVersion(of: order, for: account)
        let values =
            !context.form.values.isEmpty
            ? context.form.values
            : newest.map(EntryChanges.values)
                ?? ["od": order.start, "do": order.end, "rodzaj": order.activity, "dojazd": "0", "bilety": "0", "ochrona": "0"]
        return page(context, order: order, newest: newest, values: values, saved: request.uri.queryParameters["zapisano"] != nil)
    }

    private func page(
        _ context: PortalRequestContext, order: ServiceRecords.Order, newest: ServiceRecords.EntryHistory.Version?, errors: [FieldError] = [],
        values: [String: String], saved: Bool = false, status: HTTPResponse.Status = .ok
    ) -> Response {
        let answer = newest.flatMap(EntryChanges.answer)
        let content = VisitPage(
            orderID: order.orderID, day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
            activity: Labels.activity(order.activity), place: order.place, answer: answer, waiting: newest != nil && answer == nil,
            mayRecord: newest == nil, mayChange: answer != nil && newest?.outcome != "voided",
            changeAction: "/wizyty/\(order.orderID.urlComponentEncoded)/zmiana")
        return pages.render(
            "visit", title: "Wizyta \(PolishText.day(order.date))", context: context, content: content,
            fields: Self.fields + [EntryChanges.voidField],
            errors: errors, values: values, notice: saved ? "Zapisano. Oto odpowiedź systemu rozliczeń." : nil, status: status, path: "/wizyty")
    }

    /// The newest version of the visit's entry (`wizyta-<orderID>` of the assistant's NGO); nil until recorded.
    private func newestVersion(of order: ServiceRecords.Order, for account: Account) async throws -> ServiceRecords.EntryHistory.Version? {
        try await entries.history("wizyta-" + order.orderID, of: account.providerID ?? "", as: account)?.versions.last
    }

    @Sendable func change(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        guard let newest = try await newestVersion(of: order, for: account) else { throw PortalDenial.notFound }
        let errors = try await entries.change(
            context.form, entryID: "wizyta-" + order.orderID, of: account.providerID ?? "", newest: newest, as: account)
        guard errors.isEmpty else {
            return page(context, order: order, newest: newest, errors: errors, values: context.form.values, status: .unprocessableContent)
        }
        return .redirect(to: "/wizyty/\(order.orderID.urlComponentEncoded)?zapisano=1", type: .normal)
    }

    @Sendable func record(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .assistant)
        let order = try await services.order(try context.parameters.require("orderID"), as: account)
        let form = context.form
        let (start, end, timeErrors) = VisitTimes.read(form, day: order.date)
        var errors = timeErrors
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
            return page(context, order: order, newest: nil, errors: errors, values: form.values, status: .unprocessableContent)
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
            try await entries.waitForAnswer("wizyta-" + order.orderID, of: account.providerID ?? "", after: 0, as: account)
            return .redirect(to: "/wizyty/\(order.orderID.urlComponentEncoded)?zapisano=1", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default:
            let refusal = ServiceRecords.Refusal(answer.body)
            return page(
                context, order: order, newest: nil,
                errors: [FieldError(field: "od", message: "Nie udało się zapisać wizyty: \(refusal.message)")],
                values: form.values, status: .unprocessableContent)
        }
    }
}
