import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Portal

/// The real portal on a fresh database of the test cluster. Its five services
/// point at a port nothing listens on: these tests are about the portal's own
/// rules (sign-in, sessions, codes, CSRF), and a page that needs a service
/// shows what a person sees when the service is down. The pages with the
/// services' data are walked in a browser against the whole suite
/// (scripts/browser-tests). Passwords are hashed with small scrypt parameters
/// here, for speed; the production parameters have a test of their own.
/// Unchecked: the router is a class, built before any test uses the fixture and never changed after.
struct PortalFixture: @unchecked Sendable {
    let service: PortalService
    var pool: PostgresPool { service.database.pool }

    static let password = "zielony rower pod lipą"

    static func make(_ extra: [String: String] = [:]) async throws -> PortalFixture {
        let database = try await TestPostgres.shared.createDatabase(prefix: "portal")
        var settings = Settings()
        settings.set("postgres.host", database.host)
        settings.set("postgres.port", "\(database.port)")
        settings.set("postgres.user", database.user)
        settings.set("postgres.database", database.database)
        settings.set("postgres.pool_size", "4")
        settings.set("log.level", "warning")
        settings.set("auth.signing_key", TestTokens.key.privateJWK)
        for backend in Backend.allCases { settings.set("services.\(backend.rawValue).url", "http://127.0.0.1:\(ServiceProcess.freePort())") }
        for (key, value) in extra { settings.set(key, value) }
        let service = try await PortalService(settings: settings, hasher: PasswordHasher(parameters: .init(log2N: 10, r: 8, p: 1)))
        return PortalFixture(service: service)
    }

    /// An account of `role`, signed-in name `login`, password `password`.
    @discardableResult
    func account(_ login: String, _ role: Role = .operator, participant: String? = nil, provider: String? = nil) async throws -> Account {
        let invitee = Invitee(
            role: role, displayName: "Osoba \(login)", providerID: provider, assistantID: role == .assistant ? "a-\(login)" : nil,
            participantID: participant, actsAs: participant == nil ? nil : .self)
        let hash = try await service.hasher.hash(Self.password)
        return try #require(try await service.accounts.create(login: login, passwordHash: hash, as: invitee, invitedBy: "test"))
    }

    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await service.application().test(.router, body)
    }

    func execute(_ sql: PostgresQuery) async throws {
        try await pool.withConnection { _ = try await $0.execute(sql) }
    }

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.withConnection { try await $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}

/// A browser as far as the portal can tell: it keeps cookies, reads the CSRF
/// token of the last page and posts forms with it.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastSetCookies: [String] = []
    private(set) var page = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    var csrf: String {
        guard let range = page.range(of: #"name="csrf" value="([^"]*)""#, options: .regularExpression) else { return "" }
        return String(page[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        try await send(.get, path, body: nil)
    }

    /// Posts `fields` with the page's CSRF token (unless `csrf` says otherwise).
    @discardableResult
    func post(_ path: String, _ fields: [String: String], csrf: String? = nil) async throws -> TestResponse {
        var fields = fields
        fields["csrf"] = csrf ?? self.csrf
        let body = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    /// Signs in as `login`, from the sign-in page.
    @discardableResult
    func signIn(
        _ login: String, password: String = PortalFixture.password, dalej: String = "/start", wznow: String = ""
    ) async throws
        -> TestResponse
    {
        try await get("/logowanie")
        return try await post("/logowanie", ["login": login, "haslo": password, "dalej": dalej, "wznow": wznow])
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        lastSetCookies = response.headers[values: .setCookie]
        for line in lastSetCookies {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            let expired = line.contains("Max-Age=0")
            if expired { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair.count > 1 ? pair[1] : "" }
        }
        page = String(buffer: response.body)
        return response
    }
}
