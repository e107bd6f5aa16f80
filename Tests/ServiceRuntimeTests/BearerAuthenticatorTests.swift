import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceRuntime

/// Over HTTP: the authenticator and `context.require` answer 401 and 403 with
/// the contract's codes, and leave open routes open.
@Suite struct BearerAuthenticatorTests {
    static let key = TokenSigningKey.generate(kid: "authenticator-tests")

    func application() async -> some ApplicationProtocol {
        let router = Router(context: ServiceRequestContext.self)
        router.add(
            middleware: BearerAuthenticator(
                verifier: await TokenVerifier(trusting: try! TrustedTokenKeys(jwks: TrustedTokenKeys.jwks([Self.key.publicJWK])))))
        router.get("health/live") { _, _ in "up" }
        router.post("months/close") { _, context in
            try context.require(.operator).subject
        }
        return Application(router: router)
    }

    func bearer(_ caller: Caller, lifetime: Duration = .seconds(60)) async throws -> String {
        "Bearer " + (try await TokenSigner(key: Self.key).token(for: caller, lifetime: lifetime))
    }

    func errorCode(_ response: TestResponse) throws -> String? {
        struct Body: Decodable {
            struct Inner: Decodable { var code: String }
            var error: Inner
        }
        return try JSONDecoder().decode(Body.self, from: Data(buffer: response.body)).error.code
    }

    @Test func theRightRoleGetsThrough() async throws {
        let token = try await bearer(Caller(subject: "anna.mops", role: .operator))
        try await application().test(.router) { client in
            let response = try await client.execute(uri: "/months/close", method: .post, headers: [.authorization: token])
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "anna.mops")
        }
    }

    @Test func noTokenIsA401WithTheBearerChallenge() async throws {
        try await application().test(.router) { client in
            let response = try await client.execute(uri: "/months/close", method: .post)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(try errorCode(response) == "unauthenticated")
        }
    }

    @Test func aRefusedTokenIsA401() async throws {
        let expired = try await bearer(Caller(subject: "anna.mops", role: .operator), lifetime: .seconds(-5))
        try await application().test(.router) { client in
            for header in [expired, "Bearer not-a-token", "Basic YW5uYTpzZWNyZXQ="] {
                let response = try await client.execute(uri: "/months/close", method: .post, headers: [.authorization: header])
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(try errorCode(response) == "unauthenticated")
            }
        }
    }

    @Test func anotherRoleIsA403() async throws {
        let token = try await bearer(Caller(subject: "kontrola", role: .auditor))
        try await application().test(.router) { client in
            let response = try await client.execute(uri: "/months/close", method: .post, headers: [.authorization: token])
            #expect(response.status == .forbidden)
            #expect(try errorCode(response) == "forbidden")
        }
    }

    @Test func openRoutesNeedNoToken() async throws {
        try await application().test(.router) { client in
            let anonymous = try await client.execute(uri: "/health/live", method: .get)
            let garbage = try await client.execute(uri: "/health/live", method: .get, headers: [.authorization: "Bearer garbage"])
            #expect(anonymous.status == .ok)
            #expect(garbage.status == .ok)
        }
    }
}
