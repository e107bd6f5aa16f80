import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import Testing

@testable import Portal

/// MOPS's pages keep to roles before any service is asked: the services are down
/// in this fixture, so a request that got past the role check would be a 503.
@Suite("MOPS's pages and roles")
struct MOPSRoleTests {
    static let actions: [(String, [String: String])] = [
        ("/decyzje/zatwierdzenie", ["edycja": "2022", "liczba": "3", "uzasadnienie": "sprawdzone"]),
        ("/decyzje/d-1/zatwierdzenie", ["uzasadnienie-zatwierdzenia": "sprawdzone"]),
        ("/decyzje/d-1/zmiana", ["wynik-zmiany": "granted", "godziny": "120", "uzasadnienie-zmiany": "sprawdzone"]),
        ("/decyzje/d-1/cofniecie", ["uzasadnienie-cofniecia": "rezygnacja"]),
        ("/miesiace/zamkniecie", ["edycja": "2022", "miesiac": "2022-05", "przeczytane-tak": "tak"]),
        ("/miesiace/zastrzezenie", ["organizacja": "ngo-1", "wpis": "e-1", "edycja": "2022", "miesiac": "2022-05"]),
        ("/operacje/ponownie", ["usluga": "timesheet", "timesheet-1": "tak"]),
        ("/klucze", ["organizacja": "ngo-1"]),
        ("/wnioski", ["imie": "Jan"]),
        ("/przydzielanie/o-1", ["organizacja": "ngo-1", "asystent": "a-1"]),
        ("/przydzielanie/o-1/anulowanie", [:]),
        ("/uczestnicy/p-1/zamowienie", ["data": "6.05.2022", "od": "16:00", "do": "17:30", "rodzaj": "culture", "miejsce": "Rynek 1"]),
        // The register of assistants is the NGO's to keep.
        ("/asystenci/a-1/kwalifikacje", ["kwalifikacja": "first-aid", "uzyskano": "1.02.2022"]),
    ]

    @Test("a coordinator and an auditor change nothing: every operator's action is denied them")
    func onlyOperatorsAct() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("anna.koordynator", .coordinator)
        try await fixture.account("adam.audytor", .auditor)
        try await fixture.test { client in
            for login in ["anna.koordynator", "adam.audytor"] {
                let browser = Browser(client)
                try await browser.signIn(login)
                // The operations page, with its dead letters' payloads, is the operators' alone.
                for page in ["/operacje", "/klucze"] {
                    #expect(try await browser.get(page).status == .forbidden, "\(login) GET \(page)")
                }
                if login == "adam.audytor" {
                    // Applications and orders hold personal data: no auditor's page shows them (a participant's hours do not).
                    for page in [
                        "/wnioski/nowy", "/wnioski/a-1", "/przydzielanie", "/przydzielanie/asystenci/ngo-1/a-1", "/uczestnicy/p-1/zamowienie",
                    ] {
                        #expect(try await browser.get(page).status == .forbidden, "the auditor GET \(page)")
                    }
                }
                // Coordinators place, assign and cancel orders and enter applications; nothing else.
                for (path, fields) in Self.actions
                where !(login == "anna.koordynator" && ["/przydzielanie", "/wnioski", "/uczestnicy"].contains { path.hasPrefix($0) }) {
                    try await browser.get("/deklaracja-dostepnosci")
                    let answer = try await browser.post(path, fields)
                    #expect(answer.status == .forbidden && browser.page.contains("Brak dostępu"), "\(login) POST \(path): \(answer.status)")
                }
            }
        }
    }

    @Test("a form with scans is for signed-in staff: from anyone else a multipart body over 256 KiB is refused with a page in Polish")
    func anonymousMultipartIsSmall() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.test { client in
            let body = "--b\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\n" + String(repeating: "a", count: 300 * 1024) + "\r\n--b--\r\n"
            let answer = try await client.execute(
                uri: "/logowanie", method: .post, headers: [.contentType: "multipart/form-data; boundary=b"], body: ByteBuffer(string: body))
            #expect(answer.status == .contentTooLarge)
            #expect(String(buffer: answer.body).contains("Wysłany formularz jest zbyt duży"), "the refusal is a page in Polish")
            let form = "login=" + String(repeating: "a", count: 300 * 1024)
            let plain = try await client.execute(
                uri: "/logowanie", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            #expect(plain.status == .contentTooLarge && String(buffer: plain.body).contains("<html lang=\"pl\""))
        }
    }

    @Test("people served by the programme and NGOs reach no decision or month page")
    func othersSeeNoMOPSPage() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.account("jan.kowalski", .participant, participant: "p-jan")
        try await fixture.account("ola.ngo", .provider, provider: "ngo-1")
        try await fixture.test { client in
            for login in ["jan.kowalski", "ola.ngo"] {
                let browser = Browser(client)
                try await browser.signIn(login)
                for path in [
                    "/decyzje", "/decyzje/d-1", "/miesiace", "/raporty", "/przydzielanie", "/operacje", "/klucze", "/wnioski/nowy", "/uczestnicy",
                    "/uczestnicy/p-1/zamowienie", "/przydzielanie/asystenci/ngo-1/a-1",
                ] {
                    #expect(try await browser.get(path).status == .forbidden && browser.page.contains("Brak dostępu"), "\(login) GET \(path)")
                }
            }
        }
    }
}
