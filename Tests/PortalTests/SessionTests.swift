import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Portal

@Suite("Sessions, CSRF tokens and failures the portal answers with a page")
struct SessionTests {
    @Test("a session ends after 30 idle minutes and after 12 hours however active")
    func expiry() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            for age in ["last_seen_at = now() - interval '31 minutes'", "created_at = now() - interval '12 hours 1 minute'"] {
                try await browser.signIn("ewa.nowak")
                #expect(try await browser.get("/kody-aktywacyjne").status == .ok)
                try await fixture.execute(PostgresQuery(unsafeSQL: "UPDATE sessions SET \(age)"))
                let after = try await browser.get("/kody-aktywacyjne")
                #expect(after.status == .seeOther && after.headers[.location] == "/logowanie?dalej=/kody-aktywacyjne", "\(age)")
                #expect(try await fixture.count("SELECT count(*) FROM sessions") == 0, "the dead session is deleted")
            }
            try await browser.signIn("ewa.nowak")
            try await fixture.execute("UPDATE sessions SET last_seen_at = now() - interval '29 minutes'")
            #expect(try await browser.get("/kody-aktywacyjne").status == .ok, "29 idle minutes are not 30")
        }
    }

    @Test("a form posted after the session ended comes back filled in after signing in again")
    func formKept() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.signIn("ewa.nowak")
            try await browser.get("/kody-aktywacyjne")
            try await fixture.execute("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'")
            let posted = try await browser.post("/kody-aktywacyjne", ["uczestnik": "p-anna", "nazwa": "Anna Kowalska", "kto": "guardian"])
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix("/logowanie?dalej=/kody-aktywacyjne&wznow="))
            #expect(try await fixture.count("SELECT count(*) FROM pending_forms WHERE fields::text LIKE '%csrf%'") == 0, "no CSRF token is kept")

            try await browser.get(location)
            #expect(browser.page.contains("Sesja wygasła"))
            let resume = String(location.split(separator: "=").last!)
            let signedIn = try await browser.post(
                "/logowanie", ["login": "ewa.nowak", "haslo": PortalFixture.password, "dalej": "/kody-aktywacyjne", "wznow": resume])
            #expect(signedIn.headers[.location] == "/kody-aktywacyjne?wznow=" + resume)
            try await browser.get(signedIn.headers[.location]!)
            #expect(browser.page.contains(#"value="p-anna""#) && browser.page.contains(#"value="Anna Kowalska""#))
            #expect(browser.page.contains(#"value="guardian" checked"#))
            try await browser.get(signedIn.headers[.location]!)
            #expect(!browser.page.contains(#"value="Anna Kowalska""#), "a kept form is given back once")
        }
    }

    @Test("a form without its CSRF token, or with another browser's, is refused with a page saying what to do")
    func csrf() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.signIn("ewa.nowak")
            let other = Browser(client)
            try await other.get("/")
            for token in ["", other.csrf, "x"] {
                let refused = try await browser.post("/wyloguj", [:], csrf: token)
                #expect(refused.status == .forbidden && browser.page.contains("Formularz wygasł"))
            }
            #expect(try await fixture.count("SELECT count(*) FROM sessions") == 1, "no refused form signed anyone out")
            // A browser with no cookie at all cannot carry a valid token either.
            let bare = try await client.execute(
                uri: "/logowanie", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "login=ewa.nowak&haslo=x&csrf=abc"))
            #expect(bare.status == .forbidden)
        }
    }

    @Test("a page whose service is down says so politely, with a reference number, and another role's page is denied")
    func serviceDownAndDenied() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("ewa.nowak")
        try await fixture.account("jan.kowalski", .participant, participant: "p-jan")
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.signIn("ewa.nowak")
            let home = try await browser.get("/start")
            #expect(home.status == .serviceUnavailable)
            #expect(browser.page.contains("Usługa chwilowo niedostępna") && browser.page.contains("Numer zgłoszenia"))
            #expect(browser.page.range(of: #"<strong class="reference">[0-9A-F]{8}</strong>"#, options: .regularExpression) != nil)
            #expect(!browser.page.contains("Error") && !browser.page.contains(".swift"))

            let participant = Browser(client)
            try await participant.signIn("jan.kowalski")
            for path in ["/zaproszenia", "/kody-aktywacyjne"] {
                #expect(try await participant.get(path).status == .forbidden && participant.page.contains("Brak dostępu"))
            }
        }
    }
}
