import Foundation
import JWTKit
import Testing

@testable import ServiceRuntime

/// The verifier accepts exactly the tokens the contract describes and names
/// the reason for every other one.
@Suite struct TokenVerifierTests {
    static let key = TokenSigningKey.generate(kid: "verifier-tests")
    let inAnHour = Date().addingTimeInterval(3600)

    func verify(_ token: String) async throws(TokenRejection) -> Caller {
        try await TokenVerifier(trusting: try! TrustedTokenKeys(jwks: TrustedTokenKeys.jwks([Self.key.publicJWK]))).verify(token)
    }

    func sign(_ claims: AccessClaims, key: TokenSigningKey = key) async throws -> String {
        try await TokenSigner(key: key).sign(claims)
    }

    @Test func aGoodTokenNamesItsCaller() async throws {
        let signer = await TokenSigner(key: Self.key)
        let ngo = Caller(subject: "system-promyk", role: .provider, provider: "fundacja-promyk-slonca")
        #expect(try await verify(try await signer.token(for: ngo, lifetime: .seconds(60))) == ngo)
        let auditor = Caller(subject: "kontrola-nik", role: .auditor)
        #expect(try await verify(try await signer.token(for: auditor, lifetime: .seconds(60))) == auditor)
    }

    @Test func aTokenVerifiedBeforeIsStillRefusedOnceItExpires() async throws {
        let verifier = await TokenVerifier(trusting: try TrustedTokenKeys(jwks: TrustedTokenKeys.jwks([Self.key.publicJWK])))
        let caller = Caller(subject: "kontrola-nik", role: .auditor)
        // Valid for one to two seconds (a whole second), so a busy machine still verifies it in time.
        let expires = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2).rounded(.down))
        let token = try await sign(AccessClaims(caller: caller, expires: expires))
        #expect(try await verifier.verify(token) == caller)
        #expect(try await verifier.verify(token) == caller, "answered again, from memory")
        #expect(verifier.verified.count == 1)
        try await Task.sleep(for: .seconds(expires.timeIntervalSinceNow + 0.1))
        await #expect(throws: TokenRejection.expired) { try await verifier.verify(token) }
        // A forged twin of a remembered token is not remembered: it is checked, and refused.
        let parts = token.split(separator: ".")
        await #expect(throws: TokenRejection.self) { try await verifier.verify("\(parts[0]).\(parts[1]).\(parts[2].dropLast(2))AA") }
    }

    @Test func aSignerHandsOutTheSameTokenWhileHalfItsLifetimeIsLeft() async throws {
        let signer = await TokenSigner(key: Self.key)
        let person = Caller(subject: "konto-7", role: .participant, participant: "p-7")
        let start = Date()
        let first = try await signer.token(for: person, lifetime: .seconds(120), now: start)
        #expect(try await signer.token(for: person, lifetime: .seconds(120), now: start.addingTimeInterval(59)) == first)
        #expect(
            try await signer.token(for: Caller(subject: "konto-8", role: .participant, participant: "p-8"), lifetime: .seconds(120), now: start)
                != first)
        let later = try await signer.token(for: person, lifetime: .seconds(120), now: start.addingTimeInterval(61))
        #expect(later != first, "less than half its lifetime left: a fresh one")
        #expect(try await verify(later) == person)
    }

    @Test func rememberedTokensStayWithinTheirCapacity() throws {
        let tokens = VerifiedTokens(capacity: 3)
        let caller = Caller(subject: "x", role: .operator)
        let now = Date()
        tokens.remember("old", caller: caller, until: now.addingTimeInterval(-1))
        tokens.remember("a", caller: caller, until: now.addingTimeInterval(60))
        tokens.remember("b", caller: caller, until: now.addingTimeInterval(60))
        tokens.remember("c", caller: caller, until: now.addingTimeInterval(60))
        #expect(tokens.count == 3, "the expired one made room")
        #expect(try tokens.caller(of: "a", now: now) == caller)
        tokens.remember("d", caller: caller, until: now.addingTimeInterval(60))
        #expect(tokens.count == 1, "none expired: all forgotten but the newest")
        #expect(try tokens.caller(of: "a", now: now) == nil)
        #expect(throws: TokenRejection.expired) { try tokens.caller(of: "d", now: now.addingTimeInterval(61)) }
    }

    @Test(arguments: ["", "Bearer", "not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30"])
    func aMalformedTokenIsRefused(token: String) async {
        await #expect(throws: TokenRejection.malformed) { try await verify(token) }
    }

    @Test func aTokenSignedWithAnotherKeyUnderTheSameIdIsRefused() async throws {
        let other = TokenSigningKey.generate(kid: Self.key.kid)
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .operator), expires: inAnHour), key: other)
        await #expect(throws: TokenRejection.badSignature) { try await verify(token) }
    }

    @Test func aTokenOfAKeyNobodyTrustsIsRefused() async throws {
        let stranger = TokenSigningKey.generate(kid: "stranger")
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .operator), expires: inAnHour), key: stranger)
        await #expect(throws: TokenRejection.untrustedKey) { try await verify(token) }
    }

    /// The old kind of token: a service holding the shared secret could mint an operator's.
    @Test func anHS256TokenIsRefused() async throws {
        let keys = await JWTKeyCollection().add(
            hmac: HMACKey(from: "a-shared-secret-0123456789abcdef"), digestAlgorithm: .sha256, kid: "verifier-tests")
        let token = try await keys.sign(AccessClaims(caller: Caller(subject: "x", role: .operator), expires: inAnHour), kid: "verifier-tests")
        await #expect(throws: TokenRejection.self) { try await verify(token) }
    }

    @Test func aTokenWithAChangedPayloadIsRefused() async throws {
        let token = try await sign(AccessClaims(caller: Caller(subject: "x", role: .auditor), expires: inAnHour))
        let parts = token.split(separator: ".")
        let promoted = Data(#"{"iss":"asysta","sub":"x","role":"operator","exp":\#(Int(inAnHour.timeIntervalSince1970))}"#.utf8).base64URL
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

    /// Each role's bindings: what it must carry, and what it must not.
    @Test(
        arguments: [
            ("provider", nil, nil, nil, TokenRejection.missingClaim("provider")),
            ("provider", "", nil, nil, .missingClaim("provider")),
            ("provider", "fundacja-imago", "a-1", nil, .unexpectedClaim("assistant")),
            ("assistant", "fundacja-imago", nil, nil, .missingClaim("assistant")),
            ("assistant", nil, "a-1", nil, .missingClaim("provider")),
            ("participant", nil, nil, nil, .missingClaim("participant")),
            ("participant", "fundacja-imago", nil, "p-1", .unexpectedClaim("provider")),
            ("coordinator", "fundacja-imago", nil, nil, .unexpectedClaim("provider")),
            ("operator", nil, nil, "p-1", .unexpectedClaim("participant")),
        ] as [(String, String?, String?, String?, TokenRejection)])
    func aRoleWithoutItsBindingsOrWithOthersIsRefused(
        role: String, provider: String?, assistant: String?, participant: String?, rejection: TokenRejection
    ) async throws {
        let claims = AccessClaims(
            issuer: "asysta", subject: "x", role: role, provider: provider, assistant: assistant, participant: participant, expires: inAnHour)
        await #expect(throws: rejection) { try await verify(try await sign(claims)) }
    }

    @Test func anAssistantAndAParticipantCarryTheirBindings() async throws {
        for caller in [
            Caller(subject: "a", role: .assistant, provider: "fundacja-imago", assistant: "a-1"),
            Caller(subject: "p", role: .participant, participant: "p-1"),
        ] {
            #expect(try await verify(try await sign(AccessClaims(caller: caller, expires: inAnHour))) == caller)
        }
    }

    @Test func keysTravelAsJWKsAndAServiceRefusesAPrivateOne() throws {
        let read = try TokenSigningKey(jwk: Self.key.privateJWK)
        #expect(read.kid == Self.key.kid && read.publicJWK == Self.key.publicJWK)
        #expect(throws: Never.self) { try TrustedTokenKeys(jwks: TrustedTokenKeys.jwks([Self.key.publicJWK])) }
        #expect(throws: TokenKeyError.privateKeyInKeySet) { try TrustedTokenKeys(jwks: TrustedTokenKeys.jwks([Self.key.privateJWK])) }
        #expect(throws: TokenKeyError.notAKeySet) { try TrustedTokenKeys(jwks: #"{"keys":[]}"#) }
        #expect(throws: TokenKeyError.notAPrivateKey) { try TokenSigningKey(jwk: Self.key.publicJWK) }
        var settings = Settings()
        #expect(throws: SettingsError.self) { try settings.trustedKeys() }
        settings.set("auth.jwks", TrustedTokenKeys.jwks([Self.key.publicJWK]))
        #expect(throws: Never.self) { try settings.trustedKeys() }
    }
}
