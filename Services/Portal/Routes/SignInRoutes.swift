import Foundation
import Hummingbird

/// Signing in and out. One message for a wrong name and a wrong password, the
/// same time spent on both; a name or an address that keeps failing waits.
struct SignInRoutes: Sendable {
    let pages: Pages
    let accounts: AccountStore
    let sessions: SessionStore
    let hasher: PasswordHasher
    let cookies: CookieNames
    let throttle: Throttle
    /// The identity provider's name for the sign-in page's second way in, when `oidc.*` is set.
    let oidcLabel: String?

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("/") { request, context in
            context.account == nil ? try await form(request: request, context: context) : .redirect(to: "/start", type: .normal)
        }
        routes.get("logowanie", use: form)
        routes.post("logowanie", use: signIn)
        routes.post("wyloguj", use: signOut)
        return routes
    }

    static let wrongCredentials = "Nieprawidłowa nazwa użytkownika lub hasło. Sprawdź, czy nie jest włączony Caps Lock."

    @Sendable func form(request: Request, context: PortalRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let notice: String? =
            if query["wylogowano"] != nil { "Wylogowano. Do zobaczenia!" } else if query["wznow"] != nil {
                "Sesja wygasła. Zaloguj się ponownie — wypełniony formularz na Ciebie czeka."
            } else if query["dalej"] != nil { "Zaloguj się, aby zobaczyć tę stronę." } else { nil }
        return page(
            context, values: ["dalej": LocalPath.checked(query["dalej"].map(String.init) ?? ""), "wznow": query["wznow"].map(String.init) ?? ""],
            notice: notice)
    }

    @Sendable func signIn(request: Request, context: PortalRequestContext) async throws -> Response {
        let login = context.form["login"].lowercased()
        let password = context.form.raw("haslo")
        let values = ["login": login, "dalej": LocalPath.checked(context.form["dalej"]), "wznow": context.form["wznow"]]
        var errors: [FieldError] = []
        if login.isEmpty { errors.append(FieldError(field: "login", message: "Wpisz nazwę użytkownika.")) }
        if password.isEmpty { errors.append(FieldError(field: "haslo", message: "Wpisz hasło.")) }
        guard errors.isEmpty else { return page(context, errors: errors, values: values, status: .unprocessableContent) }

        let fromAddress = try await accounts.recentFailures(kind: "sign-in", address: context.address, within: throttle.window)
        if fromAddress.count >= throttle.perAddress {
            try await accounts.audit("sign-in", address: context.address, login: login, outcome: "address-throttled")
            let message = "Z tego urządzenia było zbyt wiele nieudanych prób logowania. Odczekaj kwadrans i spróbuj ponownie."
            return page(context, errors: [FieldError(field: "login", message: message)], values: values, status: .tooManyRequests)
        }
        let forLogin = try await accounts.recentFailures(kind: "sign-in", login: login, within: throttle.window)
        if forLogin.count >= throttle.perLogin, let oldest = forLogin.oldest {
            try await accounts.audit("sign-in", address: context.address, login: login, outcome: "login-locked")
            let message =
                "Po \(throttle.perLogin) nieudanych próbach logowanie na tę nazwę użytkownika jest wstrzymane do godziny "
                + "\(PolishText.time(oldest + throttle.window.timeInterval)). Jeśli nie pamiętasz hasła, skontaktuj się z MOPS."
            return page(context, errors: [FieldError(field: "login", message: message)], values: values, status: .tooManyRequests)
        }

        guard let found = try await accounts.credentials(login: login), let passwordHash = found.passwordHash else {
            await hasher.verifyNothing(password)
            try await accounts.audit("sign-in", address: context.address, login: login, outcome: "unknown-login")
            return page(context, errors: [FieldError(field: "login", message: Self.wrongCredentials)], values: values, status: .unauthorized)
        }
        guard await hasher.verify(password, against: passwordHash) else {
            try await accounts.audit("sign-in", address: context.address, login: login, accountID: found.account.id, outcome: "wrong-password")
            return page(context, errors: [FieldError(field: "login", message: Self.wrongCredentials)], values: values, status: .unauthorized)
        }
        try await accounts.audit("sign-in", address: context.address, login: login, accountID: found.account.id, outcome: "signed-in")
        return try await startSession(for: found.account, context: context, request: request, then: values["dalej"]!, resume: values["wznow"]!)
    }

    /// A new session, replacing whatever the browser had (rotation at sign-in),
    /// then on to `path`, with the form kept across the sign-in if there is one.
    func startSession(
        for account: Account, context: PortalRequestContext, request: Request, then path: String, resume: String = ""
    ) async throws
        -> Response
    {
        let token = try await sessions.start(accountID: account.id, replacing: request.cookies[cookies.session]?.value)
        let query = resume.isEmpty ? "" : "?wznow=" + resume.urlPathEncoded
        var response = Response.redirect(to: path + query, type: .normal)
        response.setCookie(cookies.cookie(cookies.session, value: token))
        response.setCookie(cookies.expired(cookies.form))
        return response
    }

    @Sendable func signOut(request: Request, context: PortalRequestContext) async throws -> Response {
        if let token = context.sessionToken {
            try await sessions.end(token)
            try await accounts.audit("sign-out", address: context.address, accountID: context.account?.id, outcome: "signed-out")
        }
        var response = Response.redirect(to: "/logowanie?wylogowano=1", type: .normal)
        response.setCookie(cookies.expired(cookies.session))
        return response
    }

    static let fields = [
        Field("login", label: "Nazwa użytkownika", autocomplete: "username", verbatim: true),
        Field("haslo", label: "Hasło", type: "password", autocomplete: "current-password"),
    ]

    private func page(
        _ context: PortalRequestContext, errors: [FieldError] = [], values: [String: String], notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.render(
            "sign-in", title: "Logowanie", context: context, content: ["oidc": oidcLabel as Any], fields: Self.fields, errors: errors,
            values: values, notice: notice, status: status)
    }

    /// The sign-in page with one message, for a refused sign-in through the identity provider.
    func page(_ context: PortalRequestContext, error: String, status: HTTPResponse.Status) -> Response {
        page(context, errors: [FieldError(field: "login", message: error)], values: ["dalej": "/start"], status: status)
    }
}

extension Duration {
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
