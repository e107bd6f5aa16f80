import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Portal

@Suite("Signing in and out of the portal")
struct SignInTests {
    @Test("a person signs in to a new session in an HttpOnly, SameSite cookie, and signs out of it")
    func signInRotatesAndSignOutEnds() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak", .coordinator)
        try await fixture.test { client in
            let browser = Browser(client)
            let first = try await browser.get("/")
            #expect(first.status == .ok && browser.page.contains("<h1>Logowanie</h1>") && browser.page.contains(#"<html lang="pl">"#))
            let formCookie = try #require(browser.cookies["asysta-form"])

            let signedIn = try await browser.signIn("Ewa.Nowak")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/start")
            let cookie = try #require(browser.lastSetCookies.first { $0.hasPrefix("asysta=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "over plain HTTP on 127.0.0.1 a Secure cookie would be refused")
            let token = try #require(browser.cookies["asysta"])
            #expect(token != formCookie && Data(base64URL: token)?.count == 32)
            #expect(try await fixture.count("SELECT count(*) FROM sessions WHERE token_hash = \(SessionStore.hash(token))") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM sessions WHERE token_hash = \(Data(token.utf8))") == 0, "only the hash is kept")

            // Signing in again from the same browser replaces the session: the old token opens nothing.
            try await browser.signIn("ewa.nowak")
            let rotated = try #require(browser.cookies["asysta"])
            #expect(rotated != token)
            #expect(try await fixture.count("SELECT count(*) FROM sessions WHERE token_hash = \(SessionStore.hash(token))") == 0)

            try await browser.get("/kody-aktywacyjne")
            let signedOut = try await browser.post("/wyloguj", [:])
            #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/logowanie?wylogowano=1")
            #expect(browser.lastSetCookies.contains { $0.hasPrefix("asysta=;") && $0.contains("Max-Age=0") })
            #expect(try await fixture.count("SELECT count(*) FROM sessions") == 0)
            let home = try await browser.get("/start")
            #expect(home.status == .seeOther && home.headers[.location] == "/logowanie?dalej=/start")
            let outcomes = try await fixture.pool.withConnection { connection in
                try await connection.query("SELECT kind, outcome FROM sign_in_attempts ORDER BY at").map {
                    "\(try $0.decode(String.self, at: 0)):\(try $0.decode(String.self, at: 1))"
                }
            }
            #expect(outcomes == ["sign-in:signed-in", "sign-in:signed-in", "sign-out:signed-out"])
        }
    }

    @Test("over HTTPS the cookies are __Host- and Secure; a plain-HTTP public address elsewhere stops the start")
    func secureCookies() async throws {
        let fixture = try await PortalFixture.make(["portal.public_url": "https://asysta.mops.wroclaw.pl"])
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.get("/")
            #expect(browser.lastSetCookies.first?.hasPrefix("__Host-asysta-form=") == true)
            try await browser.signIn("ewa.nowak")
            let cookie = try #require(browser.lastSetCookies.first { $0.hasPrefix("__Host-asysta=") })
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/") && !cookie.contains("Domain"))
        }
        await #expect(throws: SettingsError.self) { try await PortalFixture.make(["portal.public_url": "http://asysta.mops.wroclaw.pl"]) }
    }

    @Test("a wrong password and an unknown name get the same answer, and neither is in the audit trail")
    func oneMessageForBoth() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            let wrongPassword = try await browser.signIn("ewa.nowak", password: "zielony rower pod lipa")
            let wrongPasswordPage = browser.page
            let unknownName = try await browser.signIn("nikt.taki", password: "zielony rower pod lipa")
            #expect(wrongPassword.status == .unauthorized && unknownName.status == .unauthorized)
            for page in [wrongPasswordPage, browser.page] {
                #expect(page.contains(SignInRoutes.wrongCredentials))
                #expect(page.contains("<title>Błąd: Logowanie"), "the title says the form was refused")
                #expect(page.contains(##"<a href="#login">"##), "the error summary links the field")
            }
            #expect(browser.cookies["asysta"] == nil)
            let stored = try await fixture.pool.withConnection { connection in
                try await connection.query("SELECT string_agg(row_to_json(a)::text, ' ') FROM sign_in_attempts a")[0].decode(String.self, at: 0)
            }
            #expect(stored.contains("wrong-password") && stored.contains("unknown-login") && !stored.contains("rower"))
        }
    }

    @Test("five wrong passwords hold a name, existing or not, until the oldest leaves the window; the right one is refused meanwhile")
    func lockPerName() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            for login in ["ewa.nowak", "nikt.taki"] {
                for _ in 0..<5 { #expect(try await browser.signIn(login, password: "nie to hasło, nie").status == .unauthorized) }
                let locked = try await browser.signIn(login)
                #expect(locked.status == .tooManyRequests && browser.page.contains("wstrzymane do godziny"), "\(login)")
            }
            // Another name from the same address is not held by these.
            try await fixture.account("piotr.zielinski")
            #expect(try await browser.signIn("piotr.zielinski").status == .seeOther)
            try await fixture.execute("UPDATE sign_in_attempts SET at = at - interval '16 minutes' WHERE login = 'ewa.nowak'")
            #expect(try await browser.signIn("ewa.nowak").status == .seeOther, "the window has passed")
        }
    }

    @Test("twenty failures from one address hold the address, for every name")
    func throttlePerAddress() async throws {
        let fixture = try await PortalFixture.make(["throttle.per_address": "6"])
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            for index in 0..<6 { _ = try await browser.signIn("zgadywany\(index)", password: "nie to hasło, nie") }
            #expect(try await browser.signIn("ewa.nowak").status == .tooManyRequests)
            #expect(browser.page.contains("Z tego urządzenia było zbyt wiele nieudanych prób"))
        }
    }

    @Test("every page says the browser must run no script but ours, be framed by nobody and store nothing")
    func securityHeaders() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.test { client in
            for path in ["/", "/logowanie", "/aktywacja", "/deklaracja-dostepnosci", "/nie-ma-takiej-strony"] {
                let response = try await client.execute(uri: path, method: .get)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[.xContentTypeOptions] == "nosniff" && response.headers[.cacheControl] == "no-store")
            }
            let missing = try await client.execute(uri: "/nie-ma-takiej-strony", method: .get)
            #expect(missing.status == .notFound && String(buffer: missing.body).contains("Nie znaleziono strony"))
        }
    }
}
