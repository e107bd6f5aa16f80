import Foundation
import HTTPTypes
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@testable import Portal

@Suite("Activation codes")
struct ActivationTests {
    static let guardian = Invitee(role: .participant, displayName: "Maria Kowalska", participantID: "p-jan", actsAs: .guardian)

    func issue(_ fixture: PortalFixture, validity: Duration = .seconds(86400 * 30)) async throws -> String {
        let code = ActivationCode.generate()
        _ = try await fixture.service.accounts.issueCode(
            hash: ActivationCode.hash(ActivationCode.normalised(code)!), for: Self.guardian, issuedBy: "test", validity: validity)
        return code
    }

    @Test("a code makes one account, bound as the code says, signs its person in, and is kept only as a hash")
    func singleUse() async throws {
        let fixture = try await PortalFixture.make()
        let code = try await issue(fixture)
        let stored = try await fixture.pool.withConnection {
            try await $0.query("SELECT row_to_json(c)::text FROM activation_codes c")[0].decode(String.self, at: 0)
        }
        #expect(!stored.contains(code.replacingOccurrences(of: "-", with: "")) && !stored.contains(code))
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.get("/aktywacja")
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let activated = try await browser.post(
                "/aktywacja", ["kod": typed, "login": "maria.k", "haslo": PortalFixture.password, "haslo2": PortalFixture.password])
            #expect(activated.status == .seeOther && activated.headers[.location] == "/start?witaj=1")
            #expect(browser.cookies["asysta"] != nil)

            let again = Browser(client)
            try await again.get("/aktywacja")
            let reused = try await again.post(
                "/aktywacja", ["kod": code, "login": "ktos.inny", "haslo": PortalFixture.password, "haslo2": PortalFixture.password])
            #expect(reused.status == .unprocessableContent && again.page.contains(ActivationRoutes.codeRefused))
            let account = try #require(try await fixture.service.accounts.credentials(login: "maria.k")).account
            #expect(account.role == .participant && account.participantID == "p-jan" && account.actsAs == .guardian)
            #expect(account.caller.participant == "p-jan" && account.caller.subject == "portal:" + account.id)
        }
    }

    @Test("an expired code is refused like a wrong one, a weak password with its reason, and both keep what was typed")
    func refusals() async throws {
        let fixture = try await PortalFixture.make()
        let code = try await issue(fixture)
        try await fixture.execute("UPDATE activation_codes SET expires_at = now() - interval '1 second'")
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.get("/aktywacja")
            try await browser.post(
                "/aktywacja", ["kod": code, "login": "maria.k", "haslo": PortalFixture.password, "haslo2": PortalFixture.password])
            #expect(browser.page.contains(ActivationRoutes.codeRefused) && browser.page.contains(#"value="maria.k""#))

            let weak = try await browser.post("/aktywacja", ["kod": code, "login": "maria.k", "haslo": "qwertyuiop123", "haslo2": "qwertyuiop123"])
            #expect(weak.status == .unprocessableContent && browser.page.contains("zbyt popularne"))
            #expect(!browser.page.contains("qwertyuiop123"), "a password is never written back into the page")
            try await browser.post("/aktywacja", ["kod": code, "login": "maria.k", "haslo": PortalFixture.password, "haslo2": "inne hasło tutaj"])
            #expect(browser.page.contains("Hasła różnią się"))
            #expect(try await fixture.count("SELECT count(*) FROM accounts") == 0)
        }
    }

    @Test("ten wrong codes from one address hold the address, even for a right one")
    func throttled() async throws {
        let fixture = try await PortalFixture.make()
        let code = try await issue(fixture)
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.get("/aktywacja")
            for _ in 0..<10 {
                let wrong = ActivationCode.generate()
                try await browser.post(
                    "/aktywacja", ["kod": wrong, "login": "maria.k", "haslo": PortalFixture.password, "haslo2": PortalFixture.password])
            }
            let held = try await browser.post(
                "/aktywacja", ["kod": code, "login": "maria.k", "haslo": PortalFixture.password, "haslo2": PortalFixture.password])
            #expect(held.status == .tooManyRequests && browser.page.contains("zbyt wiele błędnych kodów"))
        }
    }

    @Test("two people racing with one code get one account between them")
    func race() async throws {
        let fixture = try await PortalFixture.make()
        let code = ActivationCode.normalised(try await issue(fixture))!
        let hash = try await fixture.service.hasher.hash(PortalFixture.password)
        let outcomes = try await withThrowingTaskGroup(of: AccountStore.Activation.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await fixture.service.accounts.activate(codeHash: ActivationCode.hash(code), login: "osoba\(index)", passwordHash: hash)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .created = $0 { true } else { false } }.count == 1)
        #expect(outcomes.filter { $0 == .codeRefused }.count == 7)
    }
}
