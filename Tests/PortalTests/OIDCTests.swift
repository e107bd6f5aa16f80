import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import Postgres
import ServiceRuntime
import TestSupport
import Testing
import _CryptoExtras

@testable import Portal

/// A real OpenID Connect provider (oidc-provider-mock, the PyPI package) as a
/// process of its own, with three people: an operator, a coordinator of
/// another claim value, and someone with no Asysta role.
final class OIDCProviderProcess: Sendable {
    let process: Process
    let issuer: String

    init() async throws {
        let port = ServiceProcess.freePort()
        issuer = "http://127.0.0.1:\(port)"
        process = Process()
        // A child of the test process starts with the signals it blocks blocked too, so SIGTERM does not stop the
        // provider: `stop` sends SIGKILL, and setpriv has the kernel send it too should the test process die first.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments =
            ["--pdeathsig", "KILL", "--", "python3", "-m", "oidc_provider_mock", "--port", "\(port)"]
            + [
                #"{"sub": "ewa", "name": "Ewa Nowak", "asysta_role": "mops-operator"}"#,
                #"{"sub": "ola", "name": "Ola NGO", "asysta_role": ["inne", "ngo-staff"], "asysta_provider": "fundacja-imago"}"#,
                #"{"sub": "jan", "name": "Jan Bezroli"}"#,
                #"{"sub": "piotr", "name": "Piotr Bez NGO", "asysta_role": "ngo-staff"}"#,
            ].flatMap { ["--user-claims", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let discovery = issuer + "/.well-known/openid-configuration"
        _ = try await eventually(timeout: .seconds(30)) { () -> Bool? in
            let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: discovery), timeout: .seconds(2))
            return response?.status == .ok ? true : nil
        }
    }

    /// Stops the provider; also when the last reference goes.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    var settings: [String: String] {
        [
            "oidc.issuer": issuer, "oidc.client_id": "asysta-portal", "oidc.client_secret": "sekret-klienta", "oidc.label": "konto MOPS",
            "oidc.roles": "mops-operator=operator, ngo-staff=provider",
        ]
    }

    /// The person `sub` signs in at the provider's form (or denies); returns where the provider sends the browser back.
    func authorize(_ url: String, as sub: String?) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: sub.map { "sub=\($0)" } ?? "action=deny"))
        let response = try await client.execute(request, timeout: .seconds(10))
        return try #require(response.headers.first(name: "Location"))
    }
}

@Suite("Signing in through an OpenID Connect provider")
struct OIDCTests {
    /// The portal's answer to the provider's redirect, as a local path.
    func local(_ location: String) throws -> String {
        let url = try #require(URL(string: location))
        return url.path + "?" + (url.query ?? "")
    }

    @Test("code with PKCE and a nonce, the ID token checked against the provider's keys, the role from its claim")
    func signIn() async throws {
        let provider = try await OIDCProviderProcess()
        defer { provider.stop() }
        let fixture = try await PortalFixture.make(provider.settings)
        try await fixture.test { client in
            let browser = Browser(client)
            try await browser.get("/logowanie")
            #expect(browser.page.contains("Zaloguj się przez konto MOPS"))
            let start = try await browser.get("/logowanie/zewnetrzne?dalej=/kody-aktywacyjne")
            let authorize = try #require(start.headers[.location])
            let query = try #require(URLComponents(string: authorize)?.queryItems)
            let items = Dictionary(query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(authorize.hasPrefix(provider.issuer + "/oauth2/authorize?"))
            #expect(items["code_challenge_method"] == "S256" && items["code_challenge"]?.count == 43 && items["response_type"] == "code")
            #expect(items["nonce"]?.count == 43 && items["state"]?.count == 43 && items["client_id"] == "asysta-portal")
            #expect(items["redirect_uri"] == "http://127.0.0.1:8080/logowanie/zewnetrzne/powrot")

            let back = try local(try await provider.authorize(authorize, as: "ewa"))
            let signedIn = try await browser.get(back)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/kody-aktywacyjne", "\(browser.page)")
            #expect(try await browser.get("/kody-aktywacyjne").status == .ok && browser.page.contains("Ewa Nowak"))
            #expect(try await fixture.count("SELECT count(*) FROM accounts WHERE role = 'operator' AND password_hash IS NULL") == 1)

            let replayed = try await Browser(client).get(back)
            #expect(replayed.status == .badRequest, "a state is used once")

            // The same person again: the same account, no second one.
            let again = Browser(client)
            let second = try await again.get("/logowanie/zewnetrzne")
            #expect(try await again.get(try local(try await provider.authorize(second.headers[.location]!, as: "ewa"))).status == .seeOther)
            #expect(try await fixture.count("SELECT count(*) FROM oidc_identities") == 1)

            // A role among several claim values, with its NGO from another claim.
            let ola = Browser(client)
            let olaStart = try await ola.get("/logowanie/zewnetrzne")
            #expect(try await ola.get(try local(try await provider.authorize(olaStart.headers[.location]!, as: "ola"))).status == .seeOther)
            #expect(try await fixture.count("SELECT count(*) FROM accounts WHERE role = 'provider' AND provider_id = 'fundacja-imago'") == 1)
        }
    }

    @Test("no role, a role without its NGO, and a sign-in denied at the provider each get a page and no session")
    func refusals() async throws {
        let provider = try await OIDCProviderProcess()
        defer { provider.stop() }
        let fixture = try await PortalFixture.make(provider.settings)
        try await fixture.test { client in
            for (sub, status, text) in [
                ("jan", HTTPResponse.Status.forbidden, "nie ma dostępu do Platformy"), ("piotr", .forbidden, "nie ma dostępu do Platformy"),
                (nil, .unauthorized, "zostało przerwane"),
            ] as [(String?, HTTPResponse.Status, String)] {
                let browser = Browser(client)
                let start = try await browser.get("/logowanie/zewnetrzne")
                let answer = try await browser.get(try local(try await provider.authorize(start.headers[.location]!, as: sub)))
                #expect(answer.status == status && browser.page.contains(text), "\(sub ?? "denied")")
                #expect(browser.cookies["asysta"] == nil)
            }
            #expect(try await fixture.count("SELECT count(*) FROM accounts") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM sign_in_attempts WHERE outcome IN ('oidc-refused', 'oidc-denied')") == 3)
        }
    }

    @Test("an ID token signed by a key the provider does not publish is refused, even under the provider's key id")
    func foreignKey() async throws {
        let provider = try await OIDCProviderProcess()
        defer { provider.stop() }
        let oidc = OIDCProvider(settings: try #require(try OIDCSettings(settings: settingsOf(provider.settings))), http: HTTPClient.shared)
        let jwks = try await HTTPClient.shared.execute(HTTPClientRequest(url: provider.issuer + "/jwks"), timeout: .seconds(5))
        let published = try JSONDecoder().decode(JWKS.self, from: Data(buffer: try await jwks.body.collect(upTo: 1 << 20)))
        let providerKid = try #require(published.keys.first?.keyIdentifier)
        let forged = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let claims = OIDCProvider.IDTokenClaims(
            iss: .init(value: provider.issuer), sub: "ewa", aud: .init(value: ["asysta-portal"]), exp: .init(value: Date().addingTimeInterval(600)),
            nonce: "n")
        for kid in [providerKid, JWKIdentifier(string: "unbekannt")] {
            let token = try await JWTKeyCollection().add(rsa: forged, digestAlgorithm: .sha256, kid: kid).sign(claims, kid: kid)
            await #expect(throws: OIDCFailure.self, "kid \(kid.string)") { try await oidc.identity(idToken: token, nonce: "n") }
        }
        // A well-formed identity from claims alone maps as configured; a code the provider never issued gets none.
        let identity = try await oidc.identity(from: ["asysta_role": "mops-operator", "name": "Ewa"], issuer: provider.issuer, subject: "ewa")
        #expect(identity.invitee.role == .operator && identity.invitee.displayName == "Ewa")
        await #expect(throws: OIDCFailure.self) {
            try await oidc.identity(code: "nie-wydany", verifier: Secrets.token(), nonce: "n", redirectURI: "http://127.0.0.1:8080/x")
        }
    }

    func settingsOf(_ values: [String: String]) -> Settings {
        var settings = Settings()
        for (key, value) in values { settings.set(key, value) }
        return settings
    }
}
