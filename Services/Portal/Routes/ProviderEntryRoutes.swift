import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// An NGO's staff follow their entries: every entry of their NGO with its answer,
/// rejected ones first, then those a participant contested (with the reason), by
/// month and assistant; and an entry's history, where they correct it (a rejected
/// one fixed) or void it, as the NGO guide's next sequence. Through timesheet's
/// API with the staff member's own token: another NGO's entry is timesheet's 404.
struct ProviderEntryRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let entries: EntryChanges
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("wpisy", use: list)
        routes.get("wpisy/{entryID}", use: show)
        routes.post("wpisy/{entryID}", use: change)
        return routes
    }

    struct EntryRow: Sendable {
        var day: String
        var hours: String
        var entryID: String
        var link: String
        var assistant: String
        var state: String
        var rejected: Bool
        var contest: String?
    }

    /// A participant's contest in words: the reason and their own comment.
    private static func contest(_ contest: ServiceRecords.Contest?) -> String? {
        contest.map { "\(Labels.contestReason($0.reason).capitalizedFirst)" + ($0.comment.map { ": „\($0)”" } ?? "") }
    }

    private static func state(outcome: String, code: String?, message: String?, minutes: Int?, counts: Bool) -> String {
        switch outcome {
        case "accepted": "przyjęta: \(PolishText.hours(minutes ?? 0))"
        case "voided": "anulowana"
        case "rejected":
            Labels.rejection(code ?? "", message: message ?? "") + (counts ? " Poprzednia przyjęta wersja nadal się liczy." : "")
        default: "czeka na odpowiedź"
        }
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let providerID = account.providerID ?? ""
        let query = request.uri.queryParameters
        let monthText = String(query["miesiac"] ?? "").trimmingCharacters(in: .whitespaces)
        let assistantID = String(query["asystent"] ?? "")
        let assistants = try await services.assistants(of: providerID, as: account)
        let names = try await accounts.names(assistants: assistants.map(\.assistantID))
        let label = { (id: String) in names[id] ?? "Asystent \(id)" }
        let fields = [
            Field("miesiac", label: "Miesiąc", hint: "Na przykład 2022-05. Puste: wszystkie miesiące.", autocomplete: "off"),
            Field(
                "asystent", label: "Asystent", hint: "Bez wyboru: wszyscy asystenci.", type: "select",
                options: assistants.map { Field.Option(value: $0.assistantID, label: label($0.assistantID)) }.sorted { $0.label < $1.label }),
        ]
        let values = ["miesiac": monthText, "asystent": assistantID]
        guard monthText.isEmpty || YearMonth(monthText) != nil else {
            return pages.render(
                "entries", title: "Wpisy i odpowiedzi", context: context, content: ["entries": [EntryRow](), "none": true], fields: fields,
                errors: [FieldError(field: "miesiac", message: "Wpisz miesiąc jako rok i miesiąc, na przykład 2022-05.")], values: values,
                status: .unprocessableContent, path: "/wpisy")
        }
        var filter: [String: String] = [:]
        if !monthText.isEmpty { filter["month"] = monthText }
        if !assistantID.isEmpty { filter["assistantID"] = assistantID }
        let list = try await services.get(
            ServiceRecords.EntryList.self, from: .timesheet,
            "/providers/\(providerID.urlComponentEncoded)/entries" + (filter.isEmpty ? "" : "?" + FormFields.query(filter)), as: account)
        let rows = list.entries.map { entry in
            EntryRow(
                day: PolishText.date(entry.start), hours: PolishText.timeSpan(entry.start, entry.end), entryID: entry.entryID,
                link: "/wpisy/\(entry.entryID.urlComponentEncoded)", assistant: label(entry.assistantID),
                state: Self.state(outcome: entry.outcome, code: entry.code, message: entry.message, minutes: entry.minutes, counts: entry.counts),
                rejected: entry.outcome == "rejected", contest: Self.contest(entry.contest))
        }
        return pages.render(
            "entries", title: "Wpisy i odpowiedzi", context: context,
            content: ["entries": rows, "none": rows.isEmpty, "truncated": list.truncated] as [String: Any], fields: fields, values: values,
            path: "/wpisy")
    }

    struct EntryPage: Sendable {
        struct Version: Sendable {
            var sequence: Int
            var what: String
            var received: String
            var hours: String
            var state: String
        }
        var entryID: String
        var day: String
        var hours: String
        var assistant: String
        var state: String
        var contest: String?
        var versions: [Version]
        var mayChange: Bool
        var changeAction: String
    }

    private func entryPage(
        _ context: PortalRequestContext, entryID: String, history: ServiceRecords.EntryHistory, account: Account, errors: [FieldError] = [],
        values: [String: String]? = nil, saved: Bool = false, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let newest = history.versions.last!
        // The open contest is on the entry's list row (its month's).
        let month = CalendarDate(newest.start).yearMonth
        let listed = try await services.get(
            ServiceRecords.EntryList.self, from: .timesheet,
            "/providers/\((account.providerID ?? "").urlComponentEncoded)/entries?month=\(month)&assistantID=\(newest.assistantID.urlComponentEncoded)",
            as: account
        ).entries.first { $0.entryID == entryID }
        let counts = history.versions.contains { $0.outcome == "accepted" } && newest.outcome != "voided"
        let content = EntryPage(
            entryID: entryID, day: PolishText.date(newest.start), hours: PolishText.timeSpan(newest.start, newest.end),
            assistant: try await accounts.names(assistants: [newest.assistantID])[newest.assistantID] ?? "Asystent \(newest.assistantID)",
            state: Self.state(outcome: newest.outcome, code: newest.code, message: newest.message, minutes: newest.minutes, counts: counts),
            contest: Self.contest(listed?.contest),
            versions: history.versions.map { version in
                EntryPage.Version(
                    sequence: version.sequence,
                    what: version.action == "void" ? "anulowanie: \(version.reason ?? "")" : Labels.activity(version.activity),
                    received: PolishText.date(version.receivedAt),
                    hours: PolishText.timeSpan(version.start, version.end),
                    state: Self.state(outcome: version.outcome, code: version.code, message: version.message, minutes: version.minutes, counts: false)
                )
            },
            mayChange: EntryChanges.answer(newest) != nil && newest.outcome != "voided",
            changeAction: "/wpisy/\(entryID.urlComponentEncoded)")
        return pages.render(
            "entry", title: "Wpis \(entryID)", context: context, content: content,
            fields: EntryChanges.correctionFields + [EntryChanges.voidField], errors: errors, values: values ?? EntryChanges.values(of: newest),
            notice: saved ? "Zapisano. Oto odpowiedź systemu rozliczeń." : nil, status: status, path: "/wpisy")
    }

    private func entryID(_ context: PortalRequestContext) throws -> String {
        let raw = try context.parameters.require("entryID")
        return raw.removingPercentEncoding ?? raw
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let entryID = try entryID(context)
        guard let history = try await entries.history(entryID, of: account.providerID ?? "", as: account), !history.versions.isEmpty else {
            throw PortalDenial.notFound
        }
        return try await entryPage(
            context, entryID: entryID, history: history, account: account, saved: request.uri.queryParameters["zapisano"] != nil)
    }

    @Sendable func change(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let entryID = try entryID(context)
        let providerID = account.providerID ?? ""
        guard let history = try await entries.history(entryID, of: providerID, as: account), let newest = history.versions.last else {
            throw PortalDenial.notFound
        }
        let errors = try await entries.change(context.form, entryID: entryID, of: providerID, newest: newest, as: account)
        guard errors.isEmpty else {
            return try await entryPage(
                context, entryID: entryID, history: history, account: account, errors: errors, values: context.form.values,
                status: .unprocessableContent)
        }
        return .redirect(to: "/wpisy/\(entryID.urlComponentEncoded)?zapisano=1", type: .normal)
    }
}

extension String {
    /// "Wizyta była krótsza" from "wizyta była krótsza".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
