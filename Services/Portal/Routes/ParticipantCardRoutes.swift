import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// The monthly card ("karta realizacji usług"): a participant or their guardian
/// sees the month's visits as timesheet counts them, contests one that did not
/// happen as recorded, and confirms the month. Everything through timesheet's API
/// with the participant's own token, so another's card is timesheet's 404.
struct ParticipantCardRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("karta", use: card)
        routes.post("karta/potwierdzenie", use: confirm)
        routes.get("karta/zastrzezenie", use: contestForm)
        routes.post("karta/zastrzezenie", use: contest)
        return routes
    }

    struct VisitRow: Sendable {
        var day: String
        var hours: String
        var duration: String
        var activity: String
        /// Who delivered it (`Labels.deliveredBy`).
        var who: String
        var state: String
        var contested: Bool
        var contestLink: String?
    }

    struct CardPage: Sendable {
        var month: String
        var monthName: String
        var previous: String
        var previousName: String
        var next: String
        var nextName: String
        var visits: [VisitRow]
        var none: Bool
        var total: String
        var confirmedOn: String?
        var mayConfirm: Bool
        var someContested: Bool
    }

    /// A visit as the pages show it; on its `card`, with its state and the link to contest it while it may be.
    private static func row(
        _ visit: ServiceRecords.Card.Visit, on card: ServiceRecords.Card?, providers: [String: String], assistants: [String: String]
    ) -> VisitRow {
        let open = visit.contest != nil && visit.contest?.outcome == nil
        return VisitRow(
            day: PolishText.date(visit.start), hours: PolishText.timeSpan(visit.start, visit.end), duration: PolishText.hours(visit.minutes),
            activity: Labels.activity(visit.activity),
            who: Labels.deliveredBy(assistant: assistants[visit.assistantID], provider: providers[visit.providerID] ?? visit.providerID),
            state: card == nil ? "" : Labels.cardState(confirmed: visit.confirmed, contest: visit.contest), contested: card != nil && open,
            contestLink: card.flatMap { card in
                card.confirmedAt == nil && visit.contest == nil
                    ? "/karta/zastrzezenie?" + FormFields.query(["miesiac": card.month, "organizacja": visit.providerID, "wpis": visit.entryID])
                    : nil
            })
    }

    /// `?miesiac=YYYY-MM`, else the programme's current month.
    private func requestedMonth(_ text: String?) -> YearMonth {
        text.flatMap { YearMonth($0) } ?? CalendarDate(clock.now()).yearMonth
    }

    private func readCard(_ month: YearMonth, of account: Account) async throws -> ServiceRecords.Card {
        try await services.get(
            ServiceRecords.Card.self, from: .timesheet, "/participants/\(account.participantID ?? "")/months/\(month)", as: account)
    }

    @Sendable func card(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let month = requestedMonth(request.uri.queryParameters["miesiac"].map(String.init))
        let card = try await readCard(month, of: account)
        let names = try await services.providerNames(as: account)
        let assistants = try await accounts.names(assistants: card.visits.map(\.assistantID))
        let rows = card.visits.map { Self.row($0, on: card, providers: names, assistants: assistants) }
        let notice: String? =
            switch request.uri.queryParameters["wynik"] {
            case "potwierdzono": "Dziękujemy. Miesiąc jest potwierdzony."
            case "zgloszono": "Zastrzeżenie wysłane. Organizacja i MOPS je zobaczą; do czasu wyjaśnienia wizyta liczy się jak dotąd."
            default: nil
            }
        let content = CardPage(
            month: month.description, monthName: PolishText.month(month), previous: month.previous.description,
            previousName: PolishText.month(month.previous), next: month.next.description, nextName: PolishText.month(month.next), visits: rows,
            none: rows.isEmpty, total: PolishText.hours(card.visits.reduce(0) { $0 + $1.minutes }),
            confirmedOn: card.confirmedAt.map(PolishText.date), mayConfirm: card.confirmedAt == nil && !card.visits.isEmpty,
            someContested: rows.contains { $0.contested })
        return pages.render(
            "card", title: "Karta wizyt: \(PolishText.month(month))", context: context, content: content, notice: notice, path: "/karta")
    }

    @Sendable func confirm(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        guard let month = YearMonth(context.form["miesiac"]) else { throw PortalDenial.notFound }
        let answer = try await services.send(
            .POST, .timesheet, "/participants/\(account.participantID ?? "")/months/\(month)/confirmation", as: account)
        switch answer.status {
        case .created, .conflict: return .redirect(to: "/karta?miesiac=\(month)&wynik=potwierdzono", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default: throw ServiceCallFailure.answered(.timesheet, answer.status.code)
        }
    }

    // MARK: Contesting a visit

    static let contestFields = [
        Field(
            "powod", label: "Co się nie zgadza", type: "radio",
            options: ContestReason.allCases.map { Field.Option(value: $0.rawValue, label: Labels.contestReason($0.rawValue)) }),
        Field(
            "komentarz", label: "Opisz krótko, co się stało (nieobowiązkowe)",
            hint: "Na przykład: asystentka przyszła o 11:00, a nie o 10:00. Najwyżej 500 znaków.", type: "textarea"),
    ]

    struct ContestPage: Sendable {
        var month: String
        var providerID: String
        var entryID: String
        var visit: VisitRow
    }

    /// The visit the form names, from the participant's own card (another's: not found).
    private func visit(_ values: (month: String, provider: String, entry: String), of account: Account) async throws -> ContestPage {
        guard let month = YearMonth(values.month) else { throw PortalDenial.notFound }
        let card = try await readCard(month, of: account)
        guard let visit = card.visits.first(where: { $0.providerID == values.provider && $0.entryID == values.entry }) else {
            throw PortalDenial.notFound
        }
        let names = try await services.providerNames(as: account)
        let assistants = try await accounts.names(assistants: [visit.assistantID])
        return ContestPage(
            month: month.description, providerID: visit.providerID, entryID: visit.entryID,
            visit: Self.row(visit, on: nil, providers: names, assistants: assistants))
    }

    private func contestPage(
        _ context: PortalRequestContext, _ page: ContestPage, errors: [FieldError] = [], values: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.render(
            "card-contest", title: "Zastrzeżenie do wizyty \(page.visit.day)", context: context, content: page, fields: Self.contestFields,
            errors: errors, values: values, status: status, path: "/karta")
    }

    @Sendable func contestForm(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let query = request.uri.queryParameters
        let page = try await visit(
            (String(query["miesiac"] ?? ""), String(query["organizacja"] ?? ""), String(query["wpis"] ?? "")), of: account)
        return contestPage(context, page)
    }

    @Sendable func contest(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .participant)
        let form = context.form
        let page = try await visit((form["miesiac"], form["organizacja"], form["wpis"]), of: account)
        var errors: [FieldError] = []
        if ContestReason(rawValue: form["powod"]) == nil { errors.append(FieldError(field: "powod", message: "Wybierz, co się nie zgadza.")) }
        let comment = form["komentarz"].trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > 500 { errors.append(FieldError(field: "komentarz", message: "Opis może mieć najwyżej 500 znaków.")) }
        guard errors.isEmpty else { return contestPage(context, page, errors: errors, values: form.values, status: .unprocessableContent) }
        var body: [String: Any] = ["providerID": page.providerID, "entryID": page.entryID, "reason": form["powod"]]
        if !comment.isEmpty { body["comment"] = comment }
        let answer = try await services.send(
            .POST, .timesheet, "/participants/\(account.participantID ?? "")/contests", json: try JSONSerialization.data(withJSONObject: body),
            as: account)
        switch answer.status {
        case .created: return .redirect(to: "/karta?miesiac=\(page.month)&wynik=zgloszono", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default:
            let refusal = ServiceRecords.Refusal(answer.body)
            let message =
                switch refusal.code {
                case "month-confirmed": "Ten miesiąc jest już potwierdzony. Jeśli coś się nie zgadza, zadzwoń do organizacji albo do MOPS."
                case "already-contested": "Zastrzeżenie do tej wizyty zostało już wysłane."
                default: "Nie udało się wysłać zastrzeżenia: \(refusal.message)"
                }
            return contestPage(
                context, page, errors: [FieldError(field: "powod", message: message)], values: form.values, status: .unprocessableContent)
        }
    }
}
