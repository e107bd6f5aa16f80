import Foundation
import Hummingbird
import ServiceRuntime

/// How people get accounts, the way MOPS works: an operator invites staff, an
/// NGO invites its own assistants, and MOPS hands a participant (or their
/// guardian) a letter with an activation code together with the grant
/// decision. Each code is shown once, on the page that issues it.
struct InvitationRoutes: Sendable {
    let pages: Pages
    let accounts: AccountStore
    let services: ServiceClient
    /// How long a code stays valid (`activation.validity_days`, 30 by default).
    let validity: Duration

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("zaproszenia") { request, context in
            try await invitationForm(context, inviter: try context.person(request, .operator, .provider), values: context.form.values)
        }
        routes.post("zaproszenia", use: invite)
        routes.get("kody-aktywacyjne") { request, context in
            _ = try context.person(request, .operator, .coordinator)
            // A decision's page links here with the participant filled in; a form kept over
            // an expired session comes back in context.form.
            var values = context.form.values
            if let participant = request.uri.queryParameters["uczestnik"] { values["uczestnik"] = String(participant) }
            return letterForm(context, values: values)
        }
        routes.post("kody-aktywacyjne", use: issueLetter)
        return routes
    }

    // MARK: Staff and assistants

    /// The roles an operator may invite (everyone but people served by the programme).
    static let staffRoles: [(Role, String)] = [
        (.coordinator, "koordynator MOPS"), (.operator, "operator MOPS"), (.auditor, "audytor"), (.provider, "pracownik organizacji (NGO)"),
    ]

    private func invitationForm(
        _ context: PortalRequestContext, inviter: Account, errors: [FieldError] = [], values: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var fields = [Field("nazwa", label: "Imię i nazwisko osoby zapraszanej", autocomplete: "off")]
        if inviter.role == .operator {
            let providers = try await services.providers(as: inviter)
            fields.append(
                Field("rola", label: "Rola", type: "radio", options: Self.staffRoles.map { Field.Option(value: $0.0.rawValue, label: $0.1) }))
            fields.append(
                Field(
                    "organizacja", label: "Organizacja", hint: "Tylko dla pracownika organizacji: jego konto zobaczy dane tej organizacji.",
                    type: "select", options: providers.map { Field.Option(value: $0.providerID, label: $0.name) }))
        } else {
            fields.append(
                Field(
                    "asystent", label: "Asystent", hint: "Asystenci Twojej organizacji zarejestrowani w Platformie.", type: "select",
                    options: try await assistants(of: inviter).map {
                        Field.Option(
                            value: $0.assistantID, label: $0.assistantID + ($0.skills.isEmpty ? "" : " (" + $0.skills.joined(separator: ", ") + ")"))
                    }))
        }
        return pages.render(
            "invitation", title: inviter.role == .operator ? "Zaproś pracownika" : "Zaproś asystenta", context: context,
            content: ["staff": inviter.role == .operator], fields: fields, errors: errors, values: values, status: status, path: "/zaproszenia")
    }

    private func assistants(of provider: Account) async throws -> [ServiceRecords.Assistant] {
        try await services.assistants(of: provider.providerID ?? "", as: provider)
    }

    @Sendable func invite(request: Request, context: PortalRequestContext) async throws -> Response {
        let inviter = try context.person(request, .operator, .provider)
        let form = context.form
        var errors: [FieldError] = []
        let name = form["nazwa"]
        if name.isEmpty || name.count > 200 {
            errors.append(FieldError(field: "nazwa", message: "Wpisz imię i nazwisko osoby zapraszanej (do 200 znaków)."))
        }
        var invitee = Invitee(role: .assistant, displayName: name)
        if inviter.role == .operator {
            guard let role = Role(rawValue: form["rola"]), Self.staffRoles.contains(where: { $0.0 == role }) else {
                errors.append(FieldError(field: "rola", message: "Wybierz rolę osoby zapraszanej."))
                return try await invitationForm(context, inviter: inviter, errors: errors, values: form.values, status: .unprocessableContent)
            }
            invitee.role = role
            if role == .provider {
                let providers = try await services.providers(as: inviter)
                if providers.contains(where: { $0.providerID == form["organizacja"] }) {
                    invitee.providerID = form["organizacja"]
                } else {
                    errors.append(FieldError(field: "organizacja", message: "Wybierz organizację, w której pracuje ta osoba."))
                }
            }
        } else {
            invitee.providerID = inviter.providerID
            if try await assistants(of: inviter).contains(where: { $0.assistantID == form["asystent"] }) {
                invitee.assistantID = form["asystent"]
            } else {
                errors.append(FieldError(field: "asystent", message: "Wybierz asystenta z listy asystentów Twojej organizacji."))
            }
        }
        guard errors.isEmpty else {
            return try await invitationForm(context, inviter: inviter, errors: errors, values: form.values, status: .unprocessableContent)
        }
        return try await issued(invitee, by: inviter, context: context, template: "invitation-issued", title: "Zaproszenie gotowe")
    }

    // MARK: A participant's letter

    struct Issued: Sendable {
        var code: String
        var expires: String
        var displayName: String
        var participantID: String?
        var guardian: Bool
        var roleLabel: String
    }

    private func letterForm(
        _ context: PortalRequestContext, errors: [FieldError] = [], values: [String: String], status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        pages.render(
            "letter-form", title: "Kod aktywacyjny uczestnika", context: context, fields: Self.letterFields, errors: errors, values: values,
            status: status, path: "/kody-aktywacyjne")
    }

    static let letterFields = [
        Field("uczestnik", label: "Identyfikator uczestnika", hint: "Z decyzji o przyznaniu usługi asystencji.", verbatim: true),
        Field("nazwa", label: "Imię i nazwisko adresata pisma", autocomplete: "off"),
        Field(
            "kto", label: "Kto będzie korzystać z konta?", type: "radio",
            options: [.init(value: "self", label: "Uczestnik"), .init(value: "guardian", label: "Opiekun prawny uczestnika")]),
    ]

    @Sendable func issueLetter(request: Request, context: PortalRequestContext) async throws -> Response {
        let issuer = try context.person(request, .operator, .coordinator)
        let form = context.form
        var errors: [FieldError] = []
        let participantID = form["uczestnik"]
        let name = form["nazwa"]
        if participantID.isEmpty || participantID.count > 128 {
            errors.append(FieldError(field: "uczestnik", message: "Wpisz identyfikator uczestnika z decyzji o przyznaniu usługi."))
        }
        if name.isEmpty || name.count > 200 {
            errors.append(FieldError(field: "nazwa", message: "Wpisz imię i nazwisko adresata pisma (do 200 znaków)."))
        }
        let actsAs = Account.ActsAs(rawValue: form["kto"])
        if actsAs == nil { errors.append(FieldError(field: "kto", message: "Wybierz, kto będzie korzystać z konta.")) }
        if errors.isEmpty {
            // Only a participant with a grant gets a code: ordering knows the grant.
            let answer = try await services.send(.GET, .ordering, "/participants/\(participantID.urlComponentEncoded)/allowance", as: issuer)
            if answer.status == .notFound {
                errors.append(FieldError(field: "uczestnik", message: "Ten uczestnik nie ma przyznanej usługi. Sprawdź identyfikator w decyzji."))
            } else if answer.status != .ok {
                throw ServiceCallFailure.answered(.ordering, answer.status.code)
            }
        }
        guard errors.isEmpty, let actsAs else { return letterForm(context, errors: errors, values: form.values, status: .unprocessableContent) }
        let invitee = Invitee(role: .participant, displayName: name, participantID: participantID, actsAs: actsAs)
        return try await issued(invitee, by: issuer, context: context, template: "letter", title: "Pismo z kodem aktywacyjnym")
    }

    private func issued(
        _ invitee: Invitee, by issuer: Account, context: PortalRequestContext, template: String, title: String
    ) async throws
        -> Response
    {
        let code = ActivationCode.generate()
        let expires = try await accounts.issueCode(
            hash: ActivationCode.hash(ActivationCode.normalised(code)!), for: invitee, issuedBy: issuer.id, validity: validity)
        let issued = Issued(
            code: code, expires: PolishText.date(expires), displayName: invitee.displayName, participantID: invitee.participantID,
            guardian: invitee.actsAs == .guardian, roleLabel: Pages.roleLabel(invitee.role))
        return pages.render(template, title: title, context: context, content: issued)
    }
}
