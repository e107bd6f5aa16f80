import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// An NGO's staff keep their assistants: who they are (names from the portal's
/// accounts), their skills, weekly availability and exclusions (family ties: the
/// participants they may not serve), each assistant's coming week, and the register
/// of assistants a statutory scheme asks for (each qualification with its dates).
/// Through ordering's API with the staff member's token: only their own NGO's assistants.
struct ProviderAssistantRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("asystenci", use: list)
        routes.get("asystenci/nowy") { request, context in
            _ = try context.person(request, .provider)
            return profilePage(context, assistant: nil, week: [], values: context.form.values)
        }
        routes.post("asystenci/nowy", use: register)
        routes.get("asystenci/{assistantID}", use: show)
        routes.post("asystenci/{assistantID}", use: change)
        routes.post("asystenci/{assistantID}/kwalifikacje", use: recordQualification)
        return routes
    }

    struct AssistantRow: Sendable {
        var name: String
        var link: String
        var skills: String
        var availability: String
        var exclusions: Int
    }

    @Sendable func list(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let assistants = try await services.assistants(of: account.providerID ?? "", as: account)
        let names = try await accounts.names(assistants: assistants.map(\.assistantID))
        let rows = assistants.map { assistant in
            AssistantRow(
                name: names[assistant.assistantID] ?? "bez konta w Platformie (\(assistant.assistantID))",
                link: "/asystenci/\(assistant.assistantID.urlComponentEncoded)", skills: Labels.skills(assistant.skills),
                availability: Labels.availability(assistant.availability), exclusions: assistant.excludedParticipants.count)
        }.sorted { $0.name < $1.name }
        let notice = request.uri.queryParameters["wynik"] == "zarejestrowano" ? "Asystent zarejestrowany." : nil
        return pages.render(
            "assistants", title: "Nasi asystenci", context: context, content: ["assistants": rows, "none": rows.isEmpty] as [String: Any],
            notice: notice, path: "/asystenci")
    }

    // MARK: One assistant: the week and the profile

    struct WeekVisit: Sendable {
        var day: String
        var hours: String
        var activity: String
        var participant: String
    }

    struct ProfilePage: Sendable {
        var name: String?
        var action: String
        var week: [WeekVisit]
        var noVisits: Bool
        var weekdays: [Weekday]
        /// Every kind the register knows, with what is recorded; nil for a new assistant.
        var register: [RegisterRow]?
        var registerAction: String?
    }

    /// A row of the register: a kind, its dates and whether it holds today.
    struct RegisterRow: Sendable {
        var kind: String
        var obtained: String
        var until: String
        var state: String
    }

    /// A weekday's two fields, as the template lays them out.
    struct Weekday: Sendable {
        var name: String
        var from: Field
        var to: Field
    }

    /// The profile form: skills, one from–to per weekday, exclusions.
    private static let fields: [Field] =
        [
            Field(
                "umiejetnosci", label: "Umiejętności", type: "checkbox",
                options: Skill.allCases.map { Field.Option(value: $0.rawValue, label: Labels.skill($0)) }),
            Field(
                "wykluczeni", label: "Uczestnicy, do których asystent nie może chodzić (nieobowiązkowe)",
                hint: "Opiekun, wspólne gospodarstwo albo inna więź. Identyfikator uczestnika z zamówienia, jeden w wierszu.", type: "textarea"),
            Field(
                "krewni", label: "Uczestnicy spokrewnieni z asystentem (nieobowiązkowe)",
                hint: "Rodzina asystenta: ustawa nie pozwala, by był ich asystentem. Identyfikator uczestnika, jeden w wierszu.", type: "textarea"),
            Field(
                "kwalifikacja", label: "Kwalifikacja", type: "select",
                options: QualificationKind.allCases.map { Field.Option(value: $0.rawValue, label: Labels.qualification($0)) }),
            Field("uzyskano", label: "Data uzyskania", hint: "Na przykład 15.01.2027; nie później niż dziś.", autocomplete: "off"),
            Field("wazna-do", label: "Ważna do (nieobowiązkowe)", hint: "Ostatni dzień ważności; puste, gdy nie wygasa.", autocomplete: "off"),
        ]
        + (1...7).flatMap { day in
            [
                // Inside the weekday's fieldset, whose legend names the day.
                Field("od-\(day)", label: "Od", autocomplete: "off"),
                Field("do-\(day)", label: "Do", autocomplete: "off"),
            ]
        }

    private func profilePage(
        _ context: PortalRequestContext, assistant: (id: String, name: String?)?, week: [WeekVisit], register: [RegisterRow]? = nil,
        errors: [FieldError] = [], values: [String: String], status: HTTPResponse.Status = .ok, notice: String? = nil
    ) -> Response {
        let filled = Dictionary(uniqueKeysWithValues: Pages.filled(Self.fields, values: values, errors: errors).map { ($0.name, $0) })
        let content = ProfilePage(
            name: assistant.map { $0.name ?? "asystent bez konta w Platformie" },
            action: assistant.map { "/asystenci/\($0.id.urlComponentEncoded)" } ?? "/asystenci/nowy", week: week, noVisits: week.isEmpty,
            weekdays: (1...7).map { Weekday(name: Labels.weekdays[$0 - 1].capitalizedFirst, from: filled["od-\($0)"]!, to: filled["do-\($0)"]!) },
            register: register, registerAction: register == nil ? nil : assistant.map { "/asystenci/\($0.id.urlComponentEncoded)/kwalifikacje" })
        return pages.render(
            "assistant", title: assistant == nil ? "Nowy asystent" : "Asystent: \(content.name ?? "")", context: context, content: content,
            fields: Self.fields, errors: errors, values: values, notice: notice, status: status, path: "/asystenci")
    }

    /// The form's values for a profile as ordering keeps it.
    private static func values(of assistant: ServiceRecords.Assistant) -> [String: String] {
        let relatives = assistant.relatives ?? []
        var values = [
            "wykluczeni": assistant.excludedParticipants.filter { !relatives.contains($0) }.joined(separator: "\n"),
            "krewni": relatives.joined(separator: "\n"),
        ]
        for skill in assistant.skills { values["umiejetnosci-" + skill] = "tak" }
        for slot in assistant.availability {
            values["od-\(slot.weekday)"] = slot.from
            values["do-\(slot.weekday)"] = slot.to
        }
        return values
    }

    /// The profile the form describes, for ordering, or the errors to show next to its fields.
    private static func profile(_ form: FormFields) -> (body: [String: Any], errors: [FieldError]) {
        var errors: [FieldError] = []
        var slots: [[String: Any]] = []
        for day in 1...7 {
            let (fromText, toText) = (form["od-\(day)"], form["do-\(day)"])
            if fromText.isEmpty && toText.isEmpty { continue }
            let from = PolishInput.time(fromText)
            let to = toText == "24:00" ? "24:00" : PolishInput.time(toText)
            guard let from, let to, from < to else {
                errors.append(
                    FieldError(
                        field: from == nil ? "od-\(day)" : "do-\(day)",
                        message: "\(Labels.weekdays[day - 1].capitalizedFirst): wpisz obie godziny, koniec po początku, na przykład 08:00 i 16:00."))
                continue
            }
            slots.append(["weekday": day, "from": from, "to": to])
        }
        func participants(_ field: String) -> [String] {
            let ids = form[field].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if ids.contains(where: { $0.unicodeScalars.count > 128 }) {
                errors.append(FieldError(field: field, message: "Wpisz identyfikatory uczestników, jeden w wierszu."))
            }
            return ids
        }
        let excluded = participants("wykluczeni")
        let relatives = participants("krewni")
        let skills = Skill.allCases.filter { form["umiejetnosci-" + $0.rawValue] == "tak" }.map(\.rawValue)
        return (["skills": skills, "availability": slots, "excludedParticipants": excluded, "relatives": relatives], errors)
    }

    private func assistant(_ id: String, of account: Account) async throws -> ServiceRecords.Assistant {
        let all = try await services.assistants(of: account.providerID ?? "", as: account)
        guard let assistant = all.first(where: { $0.assistantID == id }) else { throw PortalDenial.notFound }
        return assistant
    }

    /// The assistant's visits in the seven days from today, with each participant's first name when known.
    private func week(of assistantID: String, for account: Account) async throws -> [WeekVisit] {
        let now = clock.now()
        let orders = try await services.get(
            [ServiceRecords.Order].self, from: .ordering,
            "/providers/\((account.providerID ?? "").urlComponentEncoded)/assistants/\(assistantID.urlComponentEncoded)/orders", as: account
        ).filter {
            $0.status == "assigned" && (Timestamp.parse($0.endsAt) ?? now) >= now && (Timestamp.parse($0.startsAt) ?? now) < now + 7 * 86400
        }
        let names = try await accounts.names(participants: orders.map(\.participantID))
        return orders.map { order in
            WeekVisit(
                day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)", activity: Labels.activity(order.activity),
                participant: names[order.participantID].map(PolishText.firstName) ?? "uczestnik")
        }
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let id = try context.parameters.require("assistantID")
        let assistant = try await assistant(id, of: account)
        let name = try await accounts.names(assistants: [id])[id]
        let saved = request.uri.queryParameters["wynik"].map {
            switch $0 {
            case "zarejestrowano": "Asystent zarejestrowany."
            case "kwalifikacja": "Kwalifikacja wpisana do rejestru."
            default: "Zapisano zmiany."
            }
        }
        return profilePage(
            context, assistant: (id, name), week: try await week(of: id, for: account), register: register(of: assistant),
            values: Self.values(of: assistant), notice: saved)
    }

    /// Every kind, recorded or not, with whether it holds on the programme's today.
    private func register(of assistant: ServiceRecords.Assistant) -> [RegisterRow] {
        let today = clock.day().description
        return QualificationKind.allCases.map { kind in
            guard let held = assistant.qualifications?.first(where: { $0.kind == kind }) else {
                return RegisterRow(kind: Labels.qualification(kind).capitalizedFirst, obtained: "—", until: "—", state: "brak wpisu")
            }
            let state =
                if held.obtainedOn > today { "od \(PolishText.day(held.obtainedOn))" } else if let until = held.validUntil, until < today {
                    "wygasła"
                } else { "ważna" }
            return RegisterRow(
                kind: Labels.qualification(kind).capitalizedFirst, obtained: PolishText.day(held.obtainedOn),
                until: held.validUntil.map(PolishText.day) ?? "bezterminowo", state: state)
        }
    }

    /// Records a qualification in ordering's register; a wrong date is said next to its field.
    @Sendable func recordQualification(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let id = try context.parameters.require("assistantID")
        let assistant = try await assistant(id, of: account)
        let form = context.form
        var errors: [FieldError] = []
        let kind = QualificationKind(rawValue: form["kwalifikacja"])
        if kind == nil { errors.append(FieldError(field: "kwalifikacja", message: "Wybierz kwalifikację z listy.")) }
        let obtained = PolishInput.day(form["uzyskano"])
        if obtained == nil { errors.append(FieldError(field: "uzyskano", message: "Wpisz datę uzyskania, na przykład 15.01.2027.")) }
        let until = form["wazna-do"].isEmpty ? nil : PolishInput.day(form["wazna-do"])
        if !form["wazna-do"].isEmpty && until == nil {
            errors.append(FieldError(field: "wazna-do", message: "Wpisz ostatni dzień ważności, na przykład 14.01.2029, albo zostaw puste."))
        }
        var answerErrors: [FieldError] = []
        if errors.isEmpty, let kind, let obtained {
            let path =
                "/providers/\((account.providerID ?? "").urlComponentEncoded)/assistants/\(id.urlComponentEncoded)/qualifications/\(kind.rawValue)"
            let body: [String: Any] = ["obtainedOn": obtained].merging(until.map { ["validUntil": $0] } ?? [:]) { $1 }
            let answer = try await services.send(.PUT, .ordering, path, json: try JSONSerialization.data(withJSONObject: body), as: account)
            if answer.status == .ok { return .redirect(to: "/asystenci/\(id.urlComponentEncoded)?wynik=kwalifikacja", type: .normal) }
            answerErrors = ServiceRecords.Refusal(answer.body).fields.map { problem in
                problem.field == "validUntil"
                    ? FieldError(field: "wazna-do", message: "Koniec ważności nie może być przed datą uzyskania.")
                    : FieldError(field: "uzyskano", message: "Data uzyskania nie może być w przyszłości.")
            }
            if answerErrors.isEmpty { throw ServiceCallFailure.answered(.ordering, answer.status.code) }
        }
        let name = try await accounts.names(assistants: [id])[id]
        return profilePage(
            context, assistant: (id, name), week: try await week(of: id, for: account), register: register(of: assistant),
            errors: errors + answerErrors, values: Self.values(of: assistant).merging(form.values) { $1 }, status: .unprocessableContent)
    }

    @Sendable func change(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let id = try context.parameters.require("assistantID")
        let current = try await assistant(id, of: account)
        let (body, errors) = Self.profile(context.form)
        let name = try await accounts.names(assistants: [id])[id]
        guard errors.isEmpty else {
            return profilePage(
                context, assistant: (id, name), week: try await week(of: id, for: account), register: register(of: current), errors: errors,
                values: context.form.values, status: .unprocessableContent)
        }
        let path = "/providers/\((account.providerID ?? "").urlComponentEncoded)/assistants/\(id.urlComponentEncoded)"
        let answer = try await services.send(.PUT, .ordering, path, json: try JSONSerialization.data(withJSONObject: body), as: account)
        guard answer.status == .ok else { return refused(answer.body, context, assistant: (id, name), values: context.form.values) }
        return .redirect(to: "/asystenci/\(id.urlComponentEncoded)?wynik=zapisano", type: .normal)
    }

    @Sendable func register(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .provider)
        let (body, errors) = Self.profile(context.form)
        guard errors.isEmpty else {
            return profilePage(context, assistant: nil, week: [], errors: errors, values: context.form.values, status: .unprocessableContent)
        }
        let path = "/providers/\((account.providerID ?? "").urlComponentEncoded)/assistants"
        let answer = try await services.send(.POST, .ordering, path, json: try JSONSerialization.data(withJSONObject: body), as: account)
        guard answer.status == .created, let created = try? EventCodec.foundationDecoder.decode(ServiceRecords.Assistant.self, from: answer.body)
        else {
            return refused(answer.body, context, assistant: nil, values: context.form.values)
        }
        return .redirect(to: "/asystenci/\(created.assistantID.urlComponentEncoded)?wynik=zarejestrowano", type: .normal)
    }

    private func refused(_ body: Data, _ context: PortalRequestContext, assistant: (id: String, name: String?)?, values: [String: String]) -> Response
    {
        let refusal = ServiceRecords.Refusal(body)
        return profilePage(
            context, assistant: assistant, week: [],
            errors: [FieldError(field: "umiejetnosci", message: "Nie udało się zapisać: \(refusal.message)")], values: values,
            status: .unprocessableContent)
    }
}
