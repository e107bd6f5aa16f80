import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import TestSupport

@testable import ServiceRuntime

/// Who calls a route. Every request's `Authorization` header comes from here,
/// so the whole target follows the authentication contract in one place.
enum Credentials: Sendable {
    case role(Role, provider: String? = nil)
    /// No `Authorization` header at all.
    case anonymous
    /// A token of `role` whose `exp` passed an hour ago.
    case expired(Role)
    /// A token of `role` under the services' key id, signed by another key.
    case forged(Role)
    /// A token of `role` signed by a key pair no service was given.
    case untrusted(Role)
    /// A token of `role` in the old kind: HS256 with a shared secret.
    case hs256(Role)
    /// A well-signed, unexpired token whose `role` and `provider` claims are as given, valid or not.
    case claims(role: String, provider: String?)

    static let `operator` = Credentials.role(.operator)
    static let coordinator = Credentials.role(.coordinator)

    func authorization() async throws -> String? {
        switch self {
        case let .role(role, provider):
            return try await TestTokens.bearer(role, provider: provider)
        case .anonymous:
            return nil
        case let .expired(role):
            let signer = await TokenSigner(key: TestTokens.key)
            return "Bearer "
                + (try await signer.token(
                    for: Caller(subject: "test-expired", role: role), lifetime: .seconds(60), now: Date().addingTimeInterval(-3600)))
        case let .claims(role, provider):
            let signer = await TokenSigner(key: TestTokens.key)
            return "Bearer "
                + (try await signer.sign(
                    AccessClaims(
                        issuer: AccessClaims.issuer, subject: "test-claims", role: role, provider: provider,
                        expires: Date().addingTimeInterval(3600))))
        case let .forged(role):
            let signer = await TokenSigner(key: TokenSigningKey.generate(kid: TestTokens.key.kid))
            return "Bearer " + (try await signer.token(for: Caller(subject: "test-forger", role: role), lifetime: .seconds(3600)))
        case let .untrusted(role):
            let signer = await TokenSigner(key: TokenSigningKey.generate(kid: "someone-else"))
            return "Bearer " + (try await signer.token(for: Caller(subject: "test-stranger", role: role), lifetime: .seconds(3600)))
        case let .hs256(role):
            let keys = await JWTKeyCollection().add(
                hmac: HMACKey(from: "the-shared-secret-every-service-once-held"), digestAlgorithm: .sha256,
                kid: JWKIdentifier(string: TestTokens.key.kid))
            let claims = AccessClaims(caller: Caller(subject: "test-hs256", role: role), expires: Date().addingTimeInterval(3600))
            return "Bearer " + (try await keys.sign(claims, kid: JWKIdentifier(string: TestTokens.key.kid)))
        }
    }
}

/// What came back: the status, the headers and the JSON body (empty when it is not a JSON object).
struct Answer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [String: Any]

    private var error: [String: Any] { body["error"] as? [String: Any] ?? [:] }
    /// The stable code of an error answer.
    var code: String? { error["code"] as? String }
    /// The fields an error answer names.
    var fields: [String] { (error["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    var details: [String: String] { error["details"] as? [String: String] ?? [:] }
}

extension TestClientProtocol {
    /// Sends raw bytes, so a test can send what no JSON encoder would produce.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as credentials: Credentials, body: [UInt8]? = nil,
        contentType: String? = "application/json", headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let contentType { headers[.contentType] = contentType }
        if let authorization = try await credentials.authorization() { headers[.authorization] = authorization }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return Answer(status: response.status, headers: response.headers, body: object)
        }
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, as credentials: Credentials, json: Any) async throws -> Answer {
        try await call(method, uri, as: credentials, body: Array(try JSONSerialization.data(withJSONObject: json)))
    }
}

/// Polls until `body` returns a value (60 s at most: a test fails rather than hangs).
func eventually<T>(_ what: String, _ body: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
        if let value = try await body() { return value }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw HostileSuiteError.timedOut(what)
}

enum HostileSuiteError: Error { case timedOut(String) }
