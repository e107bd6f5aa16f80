import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// MOPS closes a month after reading what it still holds: per NGO, the visits
/// participants confirmed, contested and not yet confirmed, and the rejected
/// entries (timesheet's month summary). An operator decides a contested visit
/// stands, or closes the month; an auditor reads the same page and changes nothing.
struct MonthRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("miesiace", use: show)
        routes.post("miesiace/zamkniecie", use: close)
        routes.post("miesiace/zastrzezenie", use: settle)
        for format in ReportRoutes.Export.allCases {
            routes.get("miesiace/rozliczenie.\(format.rawValue)") { request, context in
                try await settlement(format, request: request, context: context)
            }
        }
        return routes
    }

    struct ProviderRow: Sendable {
        var name: String
        var confirmed: String
        var contested: String
        var unconfirmed: String
        var rejected: Int
    }

    struct ContestRow: Sendable {
        var provider: String
        var providerID: String
        var entryID: String
        var visit: String
        var reason: String
    }

    struct EditionMonthRow: Sendable {
        var name: String
        var link: String
        var state: String
        var corrections: String
        /// A closed month's settlement downloads; nil while it is open.
        var settlement: [SettlementLink]?
    }

    struct SettlementLink: Sendable {
        var format: String
        var href: String
    }

    struct CorrectionRow: Sendable {
        var month: String
        var reportedIn: String
        var provider: String
        var kind: String
        var hours: String
        var cost: String
        var reason: String
    }

    struct MonthPage: Sendable {
        var edition: String
        var month: String
        var monthName: String
        var closedOn: String?
        var providers: [ProviderRow]
        var none: Bool
        var contests: [ContestRow]
        var mayClose: Bool
        var maySettle: Bool
        /// The edition's months and late corrections, as reporting counts them (absent while it does not know the edition).
        var history: History?
    }

    struct History: Sendable {
        var months: [EditionMonthRow]
        var corrections: [CorrectionRow]
        var noCorrections: Bool
    }

    /// "+1 godz. 30 min" or "−45 min": a correction's change (`PolishText.hours` writes the minus itself).
    private static func signed(_ minutes: Int) -> String {
        (minutes < 0 ? "" : "+") + PolishText.hours(minutes)
    }

    /// "+60,00 zł" or "−60,00 zł" (`PolishText.amount` writes the minus itself).
    private static func signedAmount(_ text: String) -> String {
        (text.hasPrefix("-") ? "" : "+") + PolishText.amount(text)
    }

    /// Every month of the edition with its state and the corrections made to it after it closed, newest first.
    private func history(_ edition: String, account: Account, names: [String: String]) async throws -> History? {
        let answer = try await services.send(.GET, .reporting, "/editions/\(edition.urlComponentEncoded)/report", as: account)
        guard answer.status == .ok else { return nil }
        let report = try EventCodec.foundationDecoder.decode(ServiceRecords.Report.self, from: answer.body)
        let byMonth = Dictionary(grouping: report.corrections, by: \.month)
        let months = report.months.compactMap { status -> EditionMonthRow? in
            guard let month = YearMonth(status.month) else { return nil }
            let late = byMonth[status.month] ?? []
            return EditionMonthRow(
                name: PolishText.month(month).capitalizedFirst,
                link: "/miesiace?" + FormFields.query(["edycja": edition, "miesiac": status.month]),
                state: status.closedAt.map { "zamknięty \(PolishText.date($0))" } ?? (status.closed ? "zamknięty" : "otwarty"),
                corrections: late.isEmpty ? "—" : "\(late.count) (\(Self.signed(late.reduce(0) { $0 + $1.minutesDelta })))",
                settlement: status.closed
                    ? ReportRoutes.Export.allCases.map { format in
                        SettlementLink(
                            format: format.rawValue.uppercased(),
                            href: "/miesiace/rozliczenie.\(format.rawValue)?" + FormFields.query(["edycja": edition, "miesiac": status.month]))
                    } : nil)
        }
        let corrections = report.corrections.reversed().prefix(100).map { line in
            CorrectionRow(
                month: YearMonth(line.month).map(PolishText.month) ?? line.month,
                reportedIn: YearMonth(line.reportedIn).map(PolishText.month) ?? line.reportedIn, provider: names[line.providerID] ?? line.providerID,
                kind: Labels.lateChange(line.kind), hours: Self.signed(line.minutesDelta), cost: Self.signedAmount(line.hoursCostDelta),
                reason: line.reason.isEmpty ? "—" : line.reason)
        }
        return History(months: months, corrections: Array(corrections), noCorrections: corrections.isEmpty)
    }

    /// "3 wizyty, 6 godz." in a table cell.
    private static func visits(_ count: ServiceRecords.MonthSummary.Count) -> String {
        count.visits == 0 ? "—" : "\(count.visits) (\(PolishText.hours(count.minutes)))"
    }

    /// reporting's settlement of a closed month, passed through with the person's own token.
    private func settlement(_ format: ReportRoutes.Export, request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .auditor)
        let query = request.uri.queryParameters
        let edition = String(query["edycja"] ?? "")
        guard let month = YearMonth(String(query["miesiac"] ?? "")), !edition.isEmpty else { throw PortalDenial.notFound }
        let answer = try await services.send(
            .GET, .reporting, "/editions/\(edition.urlComponentEncoded)/settlements/\(month)/export.\(format.rawValue)", as: account)
        switch answer.status {
        case .ok: break
        case .notFound, .conflict, .unprocessableEntity: throw PortalDenial.notFound
        default: throw ServiceCallFailure.answered(.reporting, answer.status.code)
        }
        return format.download(answer.body, named: "rozliczenie-\(edition.filter { $0.isLetter || $0.isNumber || $0 == "-" })-\(month)")
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .auditor)
        let query = request.uri.queryParameters
        let notice: String? =
            switch query["wynik"] {
            case "zamknieto": "Miesiąc zamknięty. Zmiany w nim trafią odtąd do korekt."
            case "uznano": "Wizyta uznana za zrealizowaną."
            default: nil
            }
        return try await page(
            context, account: account, edition: String(query["edycja"] ?? ""), month: String(query["miesiac"] ?? ""), notice: notice)
    }

    /// The month's page; `edition` and `month` empty: the programme's current ones.
    private func page(
        _ context: PortalRequestContext, account: Account, edition requested: String, month requestedMonth: String, notice: String? = nil,
        errors: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let today = CalendarDate(clock.now()).yearMonth
        let edition = requested.isEmpty ? clock.edition : requested
        let monthText = requestedMonth.isEmpty ? today.description : requestedMonth
        let fields = [
            Field("edycja", label: "Edycja programu", hint: "Rok, na przykład 2022.", autocomplete: "off"),
            Field("miesiac", label: "Miesiąc", hint: "Na przykład 2022-05.", autocomplete: "off"),
            Field("przeczytane", label: "Zamknięcie", type: "checkbox", options: [Field.Option(value: "tak", label: "Przeczytałem podsumowanie")]),
        ]
        let values = ["edycja": edition, "miesiac": monthText]
        guard let month = YearMonth(monthText), edition.unicodeScalars.count <= 128 else {
            return pages.render(
                "months", title: "Miesiące", context: context, fields: fields,
                errors: [FieldError(field: "miesiac", message: "Wpisz miesiąc jako rok i miesiąc, na przykład 2022-05.")], values: values,
                status: .unprocessableContent, path: "/miesiace")
        }
        let summary = try await services.get(
            ServiceRecords.MonthSummary.self, from: .timesheet, "/editions/\(edition.urlComponentEncoded)/months/\(month)", as: account)
        let names = try await services.providerNames(as: account)
        var contests: [ContestRow] = []
        for provider in summary.providers where provider.contested.visits > 0 {
            let list = try await services.get(
                ServiceRecords.EntryList.self, from: .timesheet, "/providers/\(provider.providerID.urlComponentEncoded)/entries?month=\(month)",
                as: account)
            contests += list.entries.compactMap { entry in
                entry.contest.map { contest in
                    ContestRow(
                        provider: names[provider.providerID] ?? provider.providerID, providerID: provider.providerID, entryID: entry.entryID,
                        visit: "\(PolishText.date(entry.start)), \(PolishText.timeSpan(entry.start, entry.end))",
                        reason: Labels.contestReason(contest.reason).capitalizedFirst)
                }
            }
        }
        let history = try await history(edition, account: account, names: names)
        let content = MonthPage(
            edition: edition, month: month.description, monthName: PolishText.month(month), closedOn: summary.closedAt.map(PolishText.date),
            providers: summary.providers.map { provider in
                ProviderRow(
                    name: names[provider.providerID] ?? provider.providerID, confirmed: Self.visits(provider.confirmed),
                    contested: Self.visits(provider.contested), unconfirmed: Self.visits(provider.unconfirmed),
                    rejected: provider.rejectedEntries)
            }.sorted { $0.name < $1.name },
            none: summary.providers.isEmpty, contests: contests,
            mayClose: account.role == .operator && summary.closedAt == nil, maySettle: account.role == .operator, history: history)
        return pages.render(
            "months", title: "Miesiąc \(PolishText.month(month))", context: context, content: content, fields: fields, errors: errors,
            values: values, notice: notice, status: status, path: "/miesiace")
    }

    @Sendable func close(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let form = context.form
        guard let month = YearMonth(form["miesiac"]), !form["edycja"].isEmpty else { throw PortalDenial.notFound }
        let back = "/miesiace?" + FormFields.query(["edycja": form["edycja"], "miesiac": month.description])
        guard form["przeczytane-tak"] == "tak" else {
            return try await page(
                context, account: account, edition: form["edycja"], month: month.description,
                errors: [FieldError(field: "przeczytane", message: "Zaznacz, że przeczytałeś podsumowanie: po zamknięciu zmiany trafią do korekt.")],
                status: .unprocessableContent)
        }
        let answer = try await services.send(
            .POST, .timesheet, "/editions/\(form["edycja"].urlComponentEncoded)/months/\(month)/close", as: account)
        guard [.created, .ok].contains(answer.status) else { throw ServiceCallFailure.answered(.timesheet, answer.status.code) }
        return .redirect(to: back + "&wynik=zamknieto", type: .normal)
    }

    @Sendable func settle(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let form = context.form
        let path = "/providers/\(form["organizacja"].urlComponentEncoded)/entries/\(form["wpis"].urlComponentEncoded)/contest/settlement"
        let answer = try await services.send(.POST, .timesheet, path, as: account)
        guard answer.status == .ok || answer.status == .notFound else { throw ServiceCallFailure.answered(.timesheet, answer.status.code) }
        return .redirect(
            to: "/miesiace?" + FormFields.query(["edycja": form["edycja"], "miesiac": form["miesiac"]]) + "&wynik=uznano", type: .normal)
    }
}
