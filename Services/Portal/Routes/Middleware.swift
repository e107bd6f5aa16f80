import Foundation
import Hummingbird
import Logging

/// The browser's rules for every answer: no script or style but our own file,
/// no framing, no referrer to other sites, no sniffing, no caching of pages
/// that may hold personal data.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    static let contentSecurityPolicy = [
        "default-src 'none'", "style-src 'self'", "img-src 'self'", "media-src 'self'", "font-src 'self'", "form-action 'self'",
        "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Why a request cannot be served as asked; `ErrorPagesMiddleware` answers each
/// with a page in Polish.
enum PortalDenial: Error {
    /// No live session: sign in first, then come back to `path`.
    case signInNeeded(path: String)
    /// Signed in, but this page is not for the person's role.
    case forbidden
    /// Not there, or not the person's (the same answer for both).
    case notFound
    /// The form's CSRF token is missing or wrong.
    case badCSRF
}

/// Turns every failure into a page a person can act on: a sign-in for an
/// expired session (keeping a posted form), a 403, a 404, and for anything
/// unexpected a polite 500 or 503 page with a reference number that is also
/// in the log, so a clerk on the phone can find the cause. Never a stack trace.
struct ErrorPagesMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let pages: Pages
    let sessions: SessionStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.bodyTooLarge {
            return pages.render("problem", title: "Za dużo danych", context: context, content: Problem.tooLarge, status: .contentTooLarge)
        }
        do {
            return try await next(request, context)
        } catch let denial as PortalDenial {
            return try await answer(denial, request: request, context: context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return pages.render("not-found", title: "Nie znaleziono strony", context: context, status: .notFound)
        } catch {
            let reference = String(UUID().uuidString.prefix(8)).uppercased()
            let unavailable = error is ServiceCallFailure
            context.logger.error(
                "page failed", metadata: ["reference": "\(reference)", "path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return pages.render(
                "problem", title: unavailable ? "Usługa chwilowo niedostępna" : "Wystąpił błąd", context: context,
                content: unavailable ? Problem.unavailable(reference) : Problem.unexpected(reference),
                status: unavailable ? .serviceUnavailable : .internalServerError)
        }
    }

    private func answer(_ denial: PortalDenial, request: Request, context: Context) async throws -> Response {
        switch denial {
        case let .signInNeeded(path):
            var query = "dalej=" + path.urlPathEncoded
            if request.method == .post {
                var fields = context.form.values
                fields[CSRF.field] = nil
                query += "&wznow=" + (try await sessions.keep(path: path, fields: fields))
            }
            return .redirect(to: "/logowanie?" + query, type: .normal)
        case .forbidden:
            return pages.render("forbidden", title: "Brak dostępu", context: context, status: .forbidden)
        case .notFound:
            return pages.render("not-found", title: "Nie znaleziono strony", context: context, status: .notFound)
        case .badCSRF:
            return pages.render("problem", title: "Formularz wygasł", context: context, content: Problem.expiredForm, status: .forbidden)
        }
    }

}

/// The body of the `problem` page.
struct Problem: Sendable {
    var heading: String
    var explanation: String
    var reference: String?

    static func unavailable(_ reference: String) -> Problem {
        Problem(
            heading: "Usługa chwilowo niedostępna",
            explanation: "Część Platformy nie odpowiada. Twoje dane są bezpieczne. Spróbuj ponownie za kilka minut. "
                + "Jeśli problem się powtarza, zadzwoń do MOPS i podaj numer zgłoszenia.", reference: reference)
    }

    static func unexpected(_ reference: String) -> Problem {
        Problem(
            heading: "Wystąpił błąd",
            explanation: "Nie udało się wyświetlić tej strony. Spróbuj ponownie. "
                + "Jeśli problem się powtarza, zadzwoń do MOPS i podaj numer zgłoszenia.", reference: reference)
    }

    static let expiredForm = Problem(
        heading: "Formularz wygasł",
        explanation: "Ze względów bezpieczeństwa formularz można wysłać tylko ze strony, na której go otwarto. "
            + "Wróć, odśwież stronę i wyślij formularz jeszcze raz.")

    static let tooLarge = Problem(
        heading: "Za dużo danych",
        explanation: "Wysłany formularz jest zbyt duży. Skróć tekst albo dołącz mniejsze pliki (każdy do 5 MB) i spróbuj ponownie.")
}

/// Finds the person behind the session cookie, gives a browser without one a
/// pre-sign-in cookie for its forms' CSRF tokens, and parses a posted form once.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let sessions: SessionStore
    let cookies: CookieNames

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var newFormCookie: String?
        if let token = request.cookies[cookies.session]?.value, !token.isEmpty {
            context.csrfSource = token
            if let account = try await sessions.account(of: token) {
                context.account = account
                context.sessionToken = token
            }
        } else if let token = request.cookies[cookies.form]?.value, !token.isEmpty {
            context.csrfSource = token
        } else {
            newFormCookie = Secrets.token()
            context.csrfSource = newFormCookie
        }
        if request.method == .post {
            let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(of:))
            // Forms with scans: four documents of at most 5 MB each, and the text around them;
            // only staff who are signed in send them, so nobody else makes the portal hold 24 MB.
            let limit = boundary != nil && context.account != nil ? 24 * 1024 * 1024 : 256 * 1024
            if let body = try await Self.body(of: request, upTo: limit) {
                if let boundary {
                    guard let multipart = MultipartForm(Array(buffer: body), boundary: boundary) else { throw HTTPError(.badRequest) }
                    context.form = FormFields(values: multipart.fields)
                    context.files = multipart.files
                } else {
                    context.form = FormFields(urlEncoded: String(buffer: body))
                }
            } else {
                context.bodyTooLarge = true
            }
            context.formCookieIsNew = newFormCookie != nil
        } else if context.account != nil, let id = request.uri.queryParameters["wznow"],
            let kept = try await sessions.takeKept(id: String(id)), kept.path == request.uri.path
        {
            // Back after signing in again: the page opens with what was typed before the session ended.
            context.form = FormFields(values: kept.fields)
        }
        var response = try await next(request, context)
        if let newFormCookie { response.setCookie(cookies.cookie(cookies.form, value: newFormCookie)) }
        return response
    }

    /// The body up to `limit` bytes, or nil past it. The rest of a body too large
    /// is still read (up to 64 MiB) and dropped: a browser that is still sending
    /// would otherwise see the connection reset instead of the page saying why.
    static func body(of request: Request, upTo limit: Int) async throws -> ByteBuffer? {
        var collected = ByteBuffer()
        var read = 0
        for try await part in request.body {
            read += part.readableBytes
            guard read <= limit else {
                collected.clear()
                guard read <= 64 * 1024 * 1024 else { throw HTTPError(.contentTooLarge) }
                continue
            }
            var part = part
            collected.writeBuffer(&part)
        }
        return read <= limit ? collected : nil
    }
}

/// Refuses a posted form whose CSRF token does not match the browser's cookie
/// (or that came with no cookie at all); inside `ErrorPagesMiddleware`, so the
/// person gets a page saying what to do.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post {
            guard !context.formCookieIsNew, let source = context.csrfSource, CSRF.matches(context.form[CSRF.field], cookie: source) else {
                throw PortalDenial.badCSRF
            }
        }
        return try await next(request, context)
    }
}

/// The cookies' names and attributes. `__Host-` (Secure, Path=/, no Domain: no
/// other site or subdomain can set or read them) whenever the portal is served
/// over HTTPS; plain names on a loopback address over HTTP, where browsers
/// would refuse a Secure cookie.
struct CookieNames: Sendable {
    let secure: Bool
    var session: String { secure ? "__Host-asysta" : "asysta" }
    var form: String { secure ? "__Host-asysta-form" : "asysta-form" }

    func cookie(_ name: String, value: String) -> Cookie {
        Cookie(name: name, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
