import Foundation
import Hummingbird

/// A person turns a one-time code (from a participant's letter, or an
/// invitation) into an account: they choose a sign-in name and a password,
/// and are signed in.
struct ActivationRoutes: Sendable {
    let pages: Pages
    let accounts: AccountStore
    let hasher: PasswordHasher
    let policy: PasswordPolicy
    let throttle: Throttle
    let signIn: SignInRoutes

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("aktywacja") { request, context in
            page(context, values: ["kod": request.uri.queryParameters["kod"].map(String.init) ?? ""])
        }
        routes.post("aktywacja", use: activate)
        return routes
    }

    static let codeRefused = "Ten kod jest nieprawidłowy, wygasł albo został już użyty. Sprawdź go w piśmie z MOPS lub poproś o nowy."

    @Sendable func activate(request: Request, context: PortalRequestContext) async throws -> Response {
        let typedCode = context.form["kod"]
        let login = context.form["login"].lowercased()
        let password = context.form.raw("haslo")
        let values = ["kod": typedCode, "login": login]
        var errors: [FieldError] = []
        let code = ActivationCode.normalised(typedCode)
        if typedCode.isEmpty {
            errors.append(FieldError(field: "kod", message: "Wpisz kod aktywacyjny z pisma z MOPS."))
        } else if code == nil {
            errors.append(FieldError(field: "kod", message: "Kod ma 12 liter i cyfr, na przykład ABCD-EFGH-JK23. Sprawdź, czy wpisano go w całości."))
        }
        if let problem = Self.loginProblem(login) { errors.append(FieldError(field: "login", message: problem)) }
        if let refusal = policy.refusal(of: password, login: login) {
            errors.append(FieldError(field: "haslo", message: password.isEmpty ? "Wpisz hasło." : refusal))
        } else if password != context.form.raw("haslo2") {
            errors.append(FieldError(field: "haslo2", message: "Hasła różnią się. Wpisz to samo hasło dwa razy."))
        }
        guard errors.isEmpty, let code else { return page(context, errors: errors, values: values, status: .unprocessableContent) }

        let recent = try await accounts.recentFailures(kind: "activation", address: context.address, within: throttle.window)
        if recent.count >= throttle.activationsPerAddress {
            try await accounts.audit("activation", address: context.address, login: login, outcome: "address-throttled")
            let message = "Z tego urządzenia wpisano zbyt wiele błędnych kodów. Odczekaj kwadrans i spróbuj ponownie."
            return page(context, errors: [FieldError(field: "kod", message: message)], values: values, status: .tooManyRequests)
        }
        let hash = ActivationCode.hash(code)
        guard try await accounts.codeIsUsable(hash: hash) else { return try await refused(context, login: login, values: values) }
        switch try await accounts.activate(codeHash: hash, login: login, passwordHash: try await hasher.hash(password)) {
        case let .created(account):
            try await accounts.audit("activation", address: context.address, login: login, accountID: account.id, outcome: "activated")
            return try await signIn.startSession(for: account, context: context, request: request, then: "/start?witaj=1")
        case .codeRefused:
            return try await refused(context, login: login, values: values)
        case .loginTaken:
            let message = "Ta nazwa użytkownika jest już zajęta. Wybierz inną."
            return page(context, errors: [FieldError(field: "login", message: message)], values: values, status: .conflict)
        }
    }

    private func refused(_ context: PortalRequestContext, login: String, values: [String: String]) async throws -> Response {
        try await accounts.audit("activation", address: context.address, login: login, outcome: "code-refused")
        return page(context, errors: [FieldError(field: "kod", message: Self.codeRefused)], values: values, status: .unprocessableContent)
    }

    /// Sign-in names: 3 to 120 characters, letters, digits and . _ - @ (an e-mail address fits).
    static func loginProblem(_ login: String) -> String? {
        if login.isEmpty { return "Wybierz nazwę użytkownika, na przykład swój adres e-mail." }
        let allowed = login.allSatisfy { ($0.isLetter || $0.isNumber || ".-_@".contains($0)) && !$0.isWhitespace }
        guard (3...120).contains(login.count), allowed else {
            return "Nazwa użytkownika może mieć od 3 do 120 znaków: litery, cyfry oraz . _ - @ (bez spacji)."
        }
        return nil
    }

    static let fields = [
        Field(
            "kod", label: "Kod aktywacyjny", hint: "12 liter i cyfr, na przykład ABCD-EFGH-JK23. Wielkość liter nie ma znaczenia.",
            autocomplete: "one-time-code", verbatim: true),
        Field(
            "login", label: "Nazwa użytkownika", hint: "Na przykład Twój adres e-mail. Od 3 do 120 znaków, bez spacji.", autocomplete: "username",
            verbatim: true),
        Field(
            "haslo", label: "Hasło",
            hint: "Co najmniej 12 znaków. Najłatwiej zapamiętać kilka niezwiązanych słów, na przykład „zielony rower pod lipą”.",
            type: "password", autocomplete: "new-password"),
        Field("haslo2", label: "Powtórz hasło", type: "password", autocomplete: "new-password"),
    ]

    private func page(
        _ context: PortalRequestContext, errors: [FieldError] = [], values: [String: String], status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        pages.render("activation", title: "Aktywacja konta", context: context, fields: Self.fields, errors: errors, values: values, status: status)
    }
}
