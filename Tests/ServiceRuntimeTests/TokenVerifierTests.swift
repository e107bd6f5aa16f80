import Foundation
import Testing

@testable import ServiceRuntime

/// The verifier accepts exactly the tokens the contract describes and names
/// the reason for every other one.
@Suite struct TokenVerifierTests {
    static let secret = try! JWTSecret("verifier-tests-secret-0123456789abcdef")
    let inAnHour = Date().addingTimeInterval(3600)

    func verify(_ token: String) async throws(TokenRejection) -> Caller {
        try await TokenVerifier(secret: Self.secret).verify(token)
    }

    func sign(_ claims: AccessClaims, secret: JWTSecret = secret) async throws -> String {
        try await TokenSigner(secret: secret).sign(claims)
    }

    @Test func aGoodTokenNamesItsCaller() async throws {
        let signer = await TokenSigner(secret: Self.secret)
        let ngo = Caller(subject: "system-promyk", role: .provider, provider: "fundacja-promyk-slonca")
        #expect(try await verify(try await signer.token(for: ngo, lifetime: .seconds(60))) == ngo)
        let auditor = Caller(subject: "kontrola-nik", role: .auditor)
        #expect(try await verify(try await signer.token(for: auditor, lifetime: .seconds(60))) == auditor)
    }

    @Test(arguments: ["", "Bearer", "not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30"])
    func aMalformedTokenIsRefused(token: String) async {
        await #expect(throws: TokenRejection.malformed) { try await verify(token) }
    }

    @Test func aTokenSignedWithAnotherSecretIsRefused() async throws {
        let other = try JWTSecret("someone-elses-secret-0123456789abcdef")
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .operator), expires: inAnHour), secret: other)
        await #expect(throws: TokenRejection.badSignature) { try await verify(token) }
    }

    @Test func aTokenWithAChangedPayloadIsRefused() async throws {
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .auditor), expires: inAnHour))
        let parts = token.split(separator: ".")
        let promoted = Data(#"{"iss":"asysta","sub":"x","role":"operator","exp":\#(Int(inAnHour.timeIntervalSince1970))}"#.utf8)
            .base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(
                of: "/", with: "_")
        await #expect(throws: TokenRejection.badSignature) { try await verify("\(parts[0]).\(promoted).\(parts[2])") }
    }

    @Test func anExpiredTokenIsRefused() async throws {
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .operator), expires: Date().addingTimeInterval(-1)))
        await #expect(throws: TokenRejection.expired) { try await verify(token) }
    }

    @Test func anotherIssuerIsRefused() async throws {
        let token = try await sign(AccessClaims(issuer: "keycloak", subject: "x", role: "operator", provider: nil, expires: inAnHour))
        await #expect(throws: TokenRejection.wrongIssuer) { try await verify(token) }
    }

    @Test(arguments: ["admin", "Operator", ""])
    func anUnknownRoleIsRefused(role: String) async throws {
        let token = try await sign(AccessClaims(issuer: "asysta", subject: "x", role: role, provider: nil, expires: inAnHour))
        await #expect(throws: TokenRejection.unknownRole) { try await verify(token) }
    }

    @Test(arguments: [nil, ""] as [String?])
    func aProviderWithoutAProviderIdIsRefused(provider: String?) async throws {
        let token = try await sign(AccessClaims(issuer: "asysta", subject: "x", role: "provider", provider: provider, expires: inAnHour))
        await #expect(throws: TokenRejection.providerMissing) { try await verify(token) }
    }

    @Test func aProviderIdOnAnotherRoleIsRefused() async throws {
        let token = try await sign(AccessClaims(issuer: "asysta", subject: "x", role: "coordinator", provider: "fundacja-imago", expires: inAnHour))
        await #expect(throws: TokenRejection.providerNotAllowed) { try await verify(token) }
    }

    @Test func aShortSecretIsRefusedWithTheSettingsName() throws {
        var settings = Settings()
        #expect(throws: SettingsError.self) { try settings.jwtSecret() }
        settings.set("auth.jwt_secret", String(repeating: "x", count: 31))
        let error = #expect(throws: JWTSecretError.self) { try settings.jwtSecret() }
        #expect(error?.description.contains("auth.jwt_secret") == true)
        settings.set("auth.jwt_secret", String(repeating: "x", count: 32))
        #expect(throws: Never.self) { try settings.jwtSecret() }
    }
}
