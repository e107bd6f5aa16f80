import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// MOPS reviews eligibility's decisions: the queue filtered by edition, group and
/// outcome, paged; everything on a filtered list confirmed at once; one decision
/// with its audit trail, confirmed, overridden with a justification or its grant
/// revoked. Coordinators and auditors read the same pages and change nothing
/// (eligibility refuses them too); decisions carry ids, not personal data.
struct DecisionRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let accounts: AccountStore
    let clock: ProgrammeClock
    /// Rows on one page of the list.
    static let pageSize = 50
    /// The most one bulk confirmation may name (eligibility's limit).
    static let bulkLimit = 10_000
    /// An override's hours as eligibility bounds them: a leap year's, or under a statute a month's.
    static let maximumHours = 366 * 24
    static let maximumHoursAMonth = 31 * 24

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("decyzje", use: list)
        routes.post("decyzje/zatwierdzenie", use: confirmList)
        routes.get("decyzje/{id}", use: show)
        routes.post("decyzje/{id}/zatwierdzenie", use: confirmOne)
        routes.post("decyzje/{id}/zmiana", use: override)
        routes.post("decyzje/{id}/cofniecie", use: revoke)
        return routes
    }

    // MARK: - The list

    /// The list's filter, as the page's query names it and eligibility's API does.
    struct Filter: Sendable {
        var edition: String
        var group: ParticipantGroup.Category?
        var outcome: DecisionOutcome?
        var awaitingReview: Bool

        init(_ values: [String: String], defaultEdition: String) {
            let edition = values["edycja", default: ""].trimmingCharacters(in: .whitespaces)
            self.edition = edition.isEmpty ? defaultEdition : edition
            group = ParticipantGroup.Category(rawValue: values["grupa", default: ""])
            outcome = DecisionOutcome(rawValue: values["wynik", default: ""])
            awaitingReview = values["stan"] != "wszystkie"
        }

        /// The page's own query: what a link or a hidden field carries.
        var page: [String: String] {
            ["edycja": edition, "grupa": group?.rawValue ?? "", "wynik": outcome?.rawValue ?? "", "stan": awaitingReview ? "" : "wszystkie"]
                .filter { !$0.value.isEmpty }
        }

        /// eligibility's `GET /decisions` query.
        func api(after: String?, limit: Int) -> String {
            var query = ["edition": edition, "limit": String(limit)]
            if awaitingReview { query["awaitingReview"] = "true" }
            if let group { query["group"] = group.rawValue }
            if let outcome { query["outcome"] = outcome.rawValue }
            if let after { query["after"] = after }
            return "/decisions?" + FormFields.query(query)
        }
    }

    static let filterFields = [
        Field("edycja", label: "Edycja programu", hint: "Rok, na przykład 2022.", autocomplete: "off"),
        Field(
            "grupa", label: "Grupa", hint: "Bez wyboru: wszystkie grupy.", type: "select",
            options: ParticipantGroup.Category.allCases.map { Field.Option(value: $0.rawValue, label: Labels.group($0)) }),
        Field(
            "wynik", label: "Wynik", hint: "Bez wyboru: każdy wynik.", type: "select",
            options: [DecisionOutcome.granted, .rejected, .waitingForDocuments].map { Field.Option(value: $0.rawValue, label: Labels.outcome($0)) }),
        Field(
            "stan", label: "Które decyzje", type: "radio",
            options: [
                Field.Option(value: "do-sprawdzenia", label: "czekające na sprawdzenie"),
                Field.Option(value: "wszystkie", label: "wszystkie, także już rozstrzygnięte"),
            ]),
    ]

    static let bulkJustification = Field(
        "uzasadnienie", label: "Uzasadnienie zatwierdzenia",
        hint: "Trafi do historii każdej zatwierdzanej decyzji, na przykład: dokumenty sprawdzone z kartą zgłoszeniową.")

    struct Row: Sendable {
        var link: String
        var applicationID: String
        var group: String
        var outcome: String
        var hours: String
        var decidedOn: String
        var review: String
    }

    /// A field of the bulk form that repeats the list's filter.
    struct Hidden: Sendable {
        var name: String
        var value: String
    }

    struct ListPage: Sendable {
        var rows: [Row]
        var total: Int
        var totalText: String
        var none: Bool
        var next: String?
        var hidden: [Hidden]
        var mayConfirm: Bool
        var tooMany: Bool
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .coordinator, .auditor)
        let values = request.queryFields
        var notice: String?
        if let confirmed = Int(values["zatwierdzono", default: ""]) {
            notice = "Zatwierdzono \(Self.decisions(confirmed)). Przyznania trafiły do zamówień i rozliczeń."
        }
        return try await listPage(context, account: account, values: values, after: values["po"], notice: notice)
    }

    /// "1 decyzję", "3 decyzje", "5 decyzji".
    static func decisions(_ count: Int) -> String {
        let (tens, ones) = (count % 100, count % 10)
        let noun = count == 1 ? "decyzję" : (2...4).contains(ones) && !(12...14).contains(tens) ? "decyzje" : "decyzji"
        return "\(count) \(noun)"
    }

    private func listPage(
        _ context: PortalRequestContext, account: Account, values: [String: String], after: String? = nil, notice: String? = nil,
        errors: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let filter = Filter(values, defaultEdition: clock.edition)
        let page = try await services.get(
            ServiceRecords.Decisions.self, from: .eligibility, filter.api(after: after, limit: Self.pageSize), as: account)
        let rows = page.decisions.map { decision in
            Row(
                link: "/decyzje/\(decision.id.urlComponentEncoded)", applicationID: decision.applicationID,
                group: decision.group.map { Labels.group($0.category) } ?? "—",
                outcome: Labels.outcome(decision.outcome).capitalizedFirst
                    + (decision.reasons.isEmpty ? "" : ": " + decision.reasons.map(Labels.reason).joined(separator: "; ")),
                hours: decision.hoursText ?? "—", decidedOn: PolishText.day(decision.decidedOn),
                review: Labels.review(decision.review))
        }
        var shown = filter.page
        shown["stan"] = filter.awaitingReview ? "do-sprawdzenia" : "wszystkie"
        shown["uzasadnienie"] = values["uzasadnienie"]
        let content = ListPage(
            rows: rows, total: page.total, totalText: Self.decisions(page.total), none: rows.isEmpty,
            next: page.next.map { "/decyzje?" + FormFields.query(filter.page.merging(["po": $0]) { $1 }) },
            hidden: filter.page.merging(["liczba": String(page.total)]) { $1 }.sorted { $0.key < $1.key }.map {
                Hidden(name: $0.key, value: $0.value)
            },
            mayConfirm: account.role == .operator && filter.awaitingReview && (1...Self.bulkLimit).contains(page.total),
            tooMany: account.role == .operator && filter.awaitingReview && page.total > Self.bulkLimit)
        return pages.render(
            "decisions", title: "Decyzje", context: context, content: content, fields: Self.filterFields + [Self.bulkJustification],
            errors: errors, values: shown, notice: notice, status: status, path: "/decyzje")
    }

    /// Confirms every decision the filter selects, if the list still holds as many
    /// as the operator saw; otherwise nothing, and the page says how it changed.
    @Sendable func confirmList(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let form = context.form
        let filter = Filter(form.values, defaultEdition: clock.edition)
        guard filter.awaitingReview, let seen = Int(form["liczba"]) else { throw PortalDenial.notFound }
        let justification = form["uzasadnienie"]
        guard (1...2000).contains(justification.count) else {
            return try await listPage(
                context, account: account, values: form.values,
                errors: [FieldError(field: "uzasadnienie", message: "Wpisz uzasadnienie zatwierdzenia (do 2000 znaków).")],
                status: .unprocessableContent)
        }
        var ids: [String] = []
        var after: String?
        repeat {
            let page = try await services.get(ServiceRecords.Decisions.self, from: .eligibility, filter.api(after: after, limit: 1000), as: account)
            ids += page.decisions.map(\.id)
            after = page.next
        } while after != nil && ids.count <= Self.bulkLimit
        let changed = "Lista zmieniła się od jej wyświetlenia: jest na niej teraz \(Self.decisions(ids.count)). Sprawdź ją i zatwierdź ponownie."
        guard ids.count == seen, !ids.isEmpty else {
            return try await listPage(context, account: account, values: form.values, notice: changed, status: .conflict)
        }
        struct Confirmations: Encodable {
            var decisionIDs: [String]
            var justification: String
        }
        let answer = try await services.send(
            .POST, .eligibility, "/decisions/confirmations",
            json: try JSONEncoder().encode(Confirmations(decisionIDs: ids, justification: justification)), as: account)
        switch answer.status {
        case .ok:
            return .redirect(
                to: "/decyzje?" + FormFields.query(filter.page.merging(["zatwierdzono": String(ids.count)]) { $1 }), type: .normal)
        case .conflict:
            // Another operator settled some of them meanwhile: nothing was confirmed.
            return try await listPage(context, account: account, values: form.values, notice: changed, status: .conflict)
        default:
            throw ServiceCallFailure.answered(.eligibility, answer.status.code)
        }
    }

    // MARK: - One decision

    struct AuditRow: Sendable {
        var at: String
        var who: String
        var action: String
        var justification: String
    }

    struct DecisionPage: Sendable {
        var id: String
        var applicationID: String
        var participantID: String
        var editionID: String
        var outcome: String
        var reasons: [String]
        var hasReasons: Bool
        var group: String?
        var hours: String?
        var hoursBasis: String?
        var period: String?
        var decidedOn: String
        var review: String
        var audit: [AuditRow]
        var hasAudit: Bool
        var mayConfirm: Bool
        var mayOverride: Bool
        var mayRevoke: Bool
        var mayPrintLetter: Bool
        var letter: String
        /// The participant's hours (ordering's allowance), for a granted decision.
        var allowance: String
    }

    static let confirmationJustification = Field("uzasadnienie-zatwierdzenia", label: "Uzasadnienie zatwierdzenia")
    static let revocationJustification = Field(
        "uzasadnienie-cofniecia", label: "Uzasadnienie cofnięcia", hint: "Na przykład: uczestnik zrezygnował z usługi albo zmarł.")
    static let overrideFields = [
        Field(
            "wynik-zmiany", label: "Nowy wynik", type: "radio",
            options: [Field.Option(value: "granted", label: "przyznać usługę"), Field.Option(value: "rejected", label: "odmówić")]),
        Field(
            "godziny", label: "Liczba godzin na okres decyzji",
            hint:
                "Tylko przy przyznaniu. Cała liczba od 1 do \(maximumHours), na przykład 240; w programie ustawowym godziny na miesiąc, do \(maximumHoursAMonth).",
            autocomplete: "off"),
        Field(
            "grupa-zmiany", label: "Grupa", hint: "Tylko przy przyznaniu. Bez wyboru: grupa z tej decyzji.", type: "select",
            options: ParticipantGroup.Category.allCases.map { Field.Option(value: $0.rawValue, label: Labels.group($0)) }),
        Field(
            "sprzezona", label: "Niepełnosprawność sprzężona", type: "checkbox",
            options: [Field.Option(value: "tak", label: "Uczestnik ma niepełnosprawność sprzężoną")]),
        Field(
            "od", label: "Okres od", hint: "Tylko przy przyznaniu, na przykład 1.06.2022. Puste: okres z tej decyzji albo edycji.",
            autocomplete: "off"),
        Field("do", label: "Okres do", hint: "Na przykład 31.12.2022.", autocomplete: "off"),
        Field(
            "powody", label: "Powody odmowy", hint: "Tylko przy odmowie. Decyzja operatora jest zapisywana zawsze.", type: "checkbox",
            options: RejectionReason.allCases.filter { $0 != .overriddenByOperator }.map {
                Field.Option(value: $0.rawValue, label: Labels.reason($0))
            }),
        Field("uzasadnienie-zmiany", label: "Uzasadnienie zmiany", hint: "Trafi do historii decyzji; audytor je przeczyta."),
    ]

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .coordinator, .auditor)
        let notice: String? =
            switch request.uri.queryParameters["wynik"] {
            case "zatwierdzono": "Decyzja zatwierdzona."
            case "zmieniono": "Decyzja zmieniona. Uzasadnienie jest w historii."
            case "cofnieto": "Przyznanie cofnięte. Nowe zamówienia uczestnika będą odrzucane."
            default: nil
            }
        return try await decisionPage(context, account: account, id: try context.parameters.require("id"), notice: notice)
    }

    private func decisionPage(
        _ context: PortalRequestContext, account: Account, id: String, values: [String: String] = [:], notice: String? = nil,
        errors: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let path = "/decisions/\(id.urlComponentEncoded)"
        let decision = try await decision(id, as: account)
        let audit = try await services.get([ServiceRecords.AuditEntry].self, from: .eligibility, path + "/audit", as: account)
        let names = try await accounts.names(staff: audit.map(\.operatorName))
        let acts = account.role == .operator
        let content = DecisionPage(
            id: decision.id, applicationID: decision.applicationID, participantID: decision.participantID, editionID: decision.editionID,
            outcome: Labels.outcome(decision.outcome).capitalizedFirst, reasons: decision.reasons.map { Labels.reason($0).capitalizedFirst },
            hasReasons: !decision.reasons.isEmpty,
            group: decision.group.map(Labels.group),
            hours: decision.hoursText, hoursBasis: decision.hoursBasis?.explanation ?? decision.monthlyBudget?.explanation,
            period: decision.period.map { "od \(PolishText.day($0.start)) do \(PolishText.day($0.end))" },
            decidedOn: PolishText.day(decision.decidedOn), review: Labels.review(decision.review).capitalizedFirst,
            audit: audit.map { entry in
                AuditRow(
                    at: "\(PolishText.date(entry.at)), \(PolishText.time(entry.at))", who: names[entry.operatorName] ?? entry.operatorName,
                    action: Labels.auditAction(entry.action).capitalizedFirst, justification: entry.justification)
            },
            hasAudit: !audit.isEmpty,
            mayConfirm: acts && decision.review == .automatic && decision.state == "open" && decision.outcome != .waitingForDocuments,
            mayOverride: acts && decision.state != "withdrawn" && decision.grantID == nil && !audit.contains { $0.action == "revoked" },
            mayRevoke: acts && decision.grantID != nil,
            mayPrintLetter: [.operator, .coordinator].contains(account.role) && decision.grantID != nil,
            letter: "/kody-aktywacyjne?" + FormFields.query(["uczestnik": decision.participantID]),
            allowance: "/uczestnicy?" + FormFields.query(["szukaj": decision.participantID]))
        return pages.render(
            "decision", title: "Decyzja w sprawie wniosku \(decision.applicationID)", context: context, content: content,
            fields: [Self.confirmationJustification, Self.revocationJustification] + Self.overrideFields, errors: errors, values: values,
            notice: notice, status: status, path: "/decyzje")
    }

    /// The decision, if `account` may read it; otherwise the not-found page.
    private func decision(_ id: String, as account: Account) async throws -> ServiceRecords.Decision {
        let answer = try await services.send(.GET, .eligibility, "/decisions/\(id.urlComponentEncoded)", as: account)
        guard answer.status == .ok else { throw PortalDenial.notFound }
        do {
            return try EventCodec.foundationDecoder.decode(ServiceRecords.Decision.self, from: answer.body)
        } catch {
            throw ServiceCallFailure.unreadable(.eligibility)
        }
    }

    /// Sends an operator's action on one decision; a refusal comes back on the decision's page.
    private func act(
        _ context: PortalRequestContext, account: Account, id: String, path: String, body: some Encodable, done: String,
        justificationField: String
    ) async throws -> Response {
        let answer = try await services.send(.POST, .eligibility, path, json: try JSONEncoder().encode(body), as: account)
        if answer.status == .ok {
            return .redirect(to: "/decyzje/\(id.urlComponentEncoded)?wynik=\(done)", type: .normal)
        }
        if answer.status == .notFound { throw PortalDenial.notFound }
        guard answer.status == .conflict || answer.status == .unprocessableEntity else {
            throw ServiceCallFailure.answered(.eligibility, answer.status.code)
        }
        let refusal = ServiceRecords.Refusal(answer.body)
        let fieldNames = [
            "justification": justificationField, "hours": "godziny", "group": "grupa-zmiany", "period": "od", "outcome": "wynik-zmiany",
        ]
        let errors = refusal.fields.map { problem in
            FieldError(field: fieldNames[problem.field] ?? justificationField, message: Self.message(for: problem.field))
        }
        return try await decisionPage(
            context, account: account, id: id, values: context.form.values, notice: errors.isEmpty ? Self.conflict(refusal.code) : nil,
            errors: errors, status: answer.status == .conflict ? .conflict : .unprocessableContent)
    }

    private static func message(for field: String) -> String {
        switch field {
        case "hours":
            "Przy przyznaniu wpisz liczbę godzin od 1 do \(maximumHours) (w programie ustawowym godziny na miesiąc: do \(maximumHoursAMonth))."
        case "group": "Ta decyzja nie ma grupy: wybierz grupę uczestnika."
        case "period": "Wpisz okres przyznania w granicach edycji; dzień początku nie może być po dniu końca."
        case "outcome": "Wybierz: przyznać usługę albo odmówić."
        default: "Wpisz uzasadnienie (do 2000 znaków)."
        }
    }

    private static func conflict(_ code: String) -> String {
        switch code {
        case "not-awaiting-review": "Tej decyzji nie można już zatwierdzić: inny operator ją rozstrzygnął albo wniosek wycofano."
        case "grant-in-force": "Ta decyzja ma przyznanie w mocy: najpierw je cofnij, potem zmień decyzję."
        case "grant-revoked": "To przyznanie zostało już cofnięte."
        case "decision-revoked": "Przyznanie z tej decyzji cofnięto: decyzja jest ostateczna."
        default: "Eligibility odmówiło tej zmiany (\(code))."
        }
    }

    private struct Justified: Encodable {
        var justification: String
    }

    @Sendable func confirmOne(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let id = try context.parameters.require("id")
        return try await act(
            context, account: account, id: id, path: "/decisions/\(id.urlComponentEncoded)/confirmation",
            body: Justified(justification: context.form["uzasadnienie-zatwierdzenia"]), done: "zatwierdzono",
            justificationField: "uzasadnienie-zatwierdzenia")
    }

    @Sendable func revoke(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let id = try context.parameters.require("id")
        guard let grantID = try await decision(id, as: account).grantID else { throw PortalDenial.notFound }
        return try await act(
            context, account: account, id: id, path: "/grants/\(grantID.urlComponentEncoded)/revocation",
            body: Justified(justification: context.form["uzasadnienie-cofniecia"]), done: "cofnieto", justificationField: "uzasadnienie-cofniecia")
    }

    private struct OverrideBody: Encodable {
        struct Group: Encodable {
            var category: String
            var multipleDisabilities: Bool
        }
        struct Period: Encodable {
            var start: String
            var end: String
        }
        var outcome: String
        var reasons: [String]
        var hours: Int?
        var group: Group?
        var period: Period?
        var justification: String
    }

    @Sendable func override(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let id = try context.parameters.require("id")
        let form = context.form
        var errors: [FieldError] = []
        var body = OverrideBody(
            outcome: form["wynik-zmiany"], reasons: RejectionReason.allCases.map(\.rawValue).filter { form["powody-" + $0] == "tak" },
            justification: form["uzasadnienie-zmiany"])
        switch body.outcome {
        case "granted":
            body.reasons = []
            if let hours = Int(form["godziny"]), (1...Self.maximumHours).contains(hours) {
                body.hours = hours
            } else {
                errors.append(FieldError(field: "godziny", message: "Wpisz liczbę godzin: całą liczbę od 1 do \(Self.maximumHours)."))
            }
            if let category = ParticipantGroup.Category(rawValue: form["grupa-zmiany"]) {
                body.group = .init(category: category.rawValue, multipleDisabilities: form["sprzezona-tak"] == "tak")
            }
            switch (form["od"].isEmpty, form["do"].isEmpty, PolishInput.day(form["od"]), PolishInput.day(form["do"])) {
            case (true, true, _, _): break
            case let (_, _, start?, end?) where start <= end: body.period = .init(start: start, end: end)
            case (_, _, nil, _): errors.append(FieldError(field: "od", message: "Wpisz dzień początku okresu, na przykład 1.06.2022."))
            case (_, _, _, nil): errors.append(FieldError(field: "do", message: "Wpisz dzień końca okresu, na przykład 31.12.2022."))
            default: errors.append(FieldError(field: "do", message: "Koniec okresu nie może być przed jego początkiem."))
            }
        case "rejected": break
        default: errors.append(FieldError(field: "wynik-zmiany", message: "Wybierz: przyznać usługę albo odmówić."))
        }
        if !(1...2000).contains(body.justification.count) {
            errors.append(FieldError(field: "uzasadnienie-zmiany", message: "Wpisz uzasadnienie zmiany (do 2000 znaków)."))
        }
        guard errors.isEmpty else {
            return try await decisionPage(context, account: account, id: id, values: form.values, errors: errors, status: .unprocessableContent)
        }
        return try await act(
            context, account: account, id: id, path: "/decisions/\(id.urlComponentEncoded)/override", body: body, done: "zmieniono",
            justificationField: "uzasadnienie-zmiany")
    }
}
