import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import ServiceRuntime

/// The optional OpenID Connect sign-in (`oidc.*`): for deployments whose staff,
/// and citizens coming through the municipality's identity broker (login.gov.pl),
/// sign in at an identity provider. Authorization code with PKCE (S256); the ID
/// token's signature is checked against the provider's JWKS, its issuer,
/// audience, expiry and nonce against what this sign-in sent; the Asysta role
/// comes from a configured claim through a configured map, and the role's
/// bindings (NGO, assistant, participant) from claims named in configuration.
struct OIDCSettings: Sendable {
    var issuer: String
    var clientID: String
    var clientSecret: String
    /// What the sign-in page's button calls the provider ("login.gov.pl").
    var label: String
    var roleClaim: String
    /// Claim value → Asysta role, e.g. `mops-operator=operator`.
    var roles: [String: Role]
    /// Binding (provider, assistant, participant) → the claim that carries it.
    var bindingClaims: [String: String]

    /// nil when `oidc.issuer` is not set: sign-in by password only.
    init?(settings: Settings) throws {
        guard let issuer = settings.string("oidc.issuer"), !issuer.isEmpty else { return nil }
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        clientID = try settings.require("oidc.client_id")
        clientSecret = try settings.require("oidc.client_secret")
        label = settings.string("oidc.label", default: "dostawcę tożsamości")
        roleClaim = settings.string("oidc.role_claim", default: "asysta_role")
        var roles: [String: Role] = [:]
        for pair in settings.list("oidc.roles") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1]) else {
                throw SettingsError.invalid("oidc.roles", "claim-value=role pairs separated by commas (roles: \(Role.allCases.map(\.rawValue)))")
            }
            roles[parts[0]] = role
        }
        guard !roles.isEmpty else { throw SettingsError.missing("oidc.roles") }
        self.roles = roles
        bindingClaims = Dictionary(
            uniqueKeysWithValues: ["provider", "assistant", "participant"].map { ($0, settings.string("oidc.claims.\($0)", default: "asysta_\($0)")) }
        )
    }
}

/// Who the provider says signed in, once the ID token checked out.
struct OIDCIdentity: Sendable, Equatable {
    var issuer: String
    var subject: String
    /// The account this identity is: role, bindings and name from the claims.
    var invitee: Invitee
}

/// Why an OIDC sign-in was refused; each is a page in Polish, the detail in the log.
enum OIDCFailure: Error, CustomStringConvertible {
    case providerUnreachable(String)
    case tokenRefused(String)
    case noRole
    case missingBinding(String)

    var description: String {
        switch self {
        case let .providerUnreachable(detail): "the identity provider could not be used: \(detail)"
        case let .tokenRefused(detail): "the ID token was refused: \(detail)"
        case .noRole: "the ID token names no Asysta role"
        case let .missingBinding(binding): "the ID token lacks the \(binding) claim its role needs"
        }
    }
}

actor OIDCProvider {
    struct Metadata: Decodable, Sendable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
    }

    struct IDTokenClaims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nonce: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    let settings: OIDCSettings
    private let http: HTTPClient
    private var metadata: Metadata?
    private var keys: JWTKeyCollection?

    init(settings: OIDCSettings, http: HTTPClient) {
        self.settings = settings
        self.http = http
    }

    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
    }

    /// Where to send the browser to sign in.
    func authorizationURL(state: String, nonce: String, verifier: String, redirectURI: String) async throws -> String {
        let endpoint = try await discovered().authorization_endpoint
        guard var components = URLComponents(string: endpoint) else {
            throw OIDCFailure.providerUnreachable("a malformed authorization endpoint")
        }
        components.queryItems =
            (components.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: settings.clientID),
                URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: "openid profile"),
                URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
                URLQueryItem(name: "code_challenge", value: Self.challenge(for: verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
        guard let url = components.url?.absoluteString else { throw OIDCFailure.providerUnreachable("a malformed authorization endpoint") }
        return url
    }

    /// Trades the code (with the PKCE verifier) for an ID token and checks it.
    func identity(code: String, verifier: String, nonce: String, redirectURI: String) async throws -> OIDCIdentity {
        var request = HTTPClientRequest(url: try await discovered().token_endpoint)
        request.method = .POST
        let credentials = Data("\(settings.clientID.urlComponentEncoded):\(settings.clientSecret.urlComponentEncoded)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic " + credentials)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier),
            ("client_id", settings.clientID),
        ].map { "\($0.0)=\($0.1.urlComponentEncoded)" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let (status, body) = try await fetch(request)
        struct TokenResponse: Decodable { var id_token: String? }
        guard status == .ok, let idToken = (try? JSONDecoder().decode(TokenResponse.self, from: body))?.id_token else {
            throw OIDCFailure.tokenRefused("the token endpoint answered \(status.code) without an ID token")
        }
        return try await identity(idToken: idToken, nonce: nonce)
    }

    /// Checks an ID token: signature (the provider's JWKS, fetched again once
    /// for an unknown key), expiry, issuer, audience and this sign-in's nonce.
    func identity(idToken: String, nonce: String) async throws -> OIDCIdentity {
        let metadata = try await discovered()
        let claims: IDTokenClaims
        do {
            do {
                claims = try await verified(idToken, refreshKeys: false)
            } catch let error as JWTError where error.errorType == .unknownKID {
                claims = try await verified(idToken, refreshKeys: true)
            }
        } catch let failure as OIDCFailure {
            throw failure
        } catch {
            throw OIDCFailure.tokenRefused("\(error)")
        }
        guard claims.iss.value == metadata.issuer else { throw OIDCFailure.tokenRefused("issuer \(claims.iss.value)") }
        guard claims.aud.value.contains(settings.clientID) else { throw OIDCFailure.tokenRefused("audience without our client id") }
        guard let sent = claims.nonce, sent == nonce else { throw OIDCFailure.tokenRefused("nonce does not match this sign-in") }
        return try identity(from: Self.payload(of: idToken), issuer: metadata.issuer, subject: claims.sub.value)
    }

    /// The role and its bindings from the claims; no role, or a role without its bindings, is no account.
    func identity(from claims: [String: Any], issuer: String, subject: String) throws -> OIDCIdentity {
        let name = (claims["name"] as? String) ?? (claims["preferred_username"] as? String) ?? subject
        let values: [String] =
            switch claims[settings.roleClaim] {
            case let text as String: [text]
            case let list as [Any]: list.compactMap { $0 as? String }
            default: []
            }
        guard let role = values.compactMap({ settings.roles[$0] }).first else { throw OIDCFailure.noRole }
        var invitee = Invitee(role: role, displayName: name)
        for binding in role.bindings.sorted() {
            guard let value = claims[settings.bindingClaims[binding] ?? ""] as? String, !value.isEmpty else {
                throw OIDCFailure.missingBinding(binding)
            }
            switch binding {
            case "provider": invitee.providerID = value
            case "assistant": invitee.assistantID = value
            default: invitee.participantID = value
            }
        }
        if role == .participant { invitee.actsAs = .self }
        return OIDCIdentity(issuer: issuer, subject: subject, invitee: invitee)
    }

    private func verified(_ token: String, refreshKeys: Bool) async throws -> IDTokenClaims {
        if refreshKeys || keys == nil {
            let (status, body) = try await fetch(HTTPClientRequest(url: try await discovered().jwks_uri))
            guard status == .ok else { throw OIDCFailure.providerUnreachable("the JWKS answered \(status.code)") }
            keys = try await JWTKeyCollection().add(jwksJSON: String(decoding: body, as: UTF8.self))
        }
        return try await keys!.verify(token, as: IDTokenClaims.self)
    }

    private func discovered() async throws -> Metadata {
        if let metadata { return metadata }
        let (status, body) = try await fetch(HTTPClientRequest(url: settings.issuer + "/.well-known/openid-configuration"))
        guard status == .ok, let found = try? JSONDecoder().decode(Metadata.self, from: body) else {
            throw OIDCFailure.providerUnreachable("discovery answered \(status.code)")
        }
        metadata = found
        return found
    }

    private func fetch(_ request: HTTPClientRequest) async throws -> (HTTPResponseStatus, Data) {
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            return (response.status, Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        } catch {
            throw OIDCFailure.providerUnreachable("\(request.url): \(error)")
        }
    }

    /// The JSON of a JWT's payload; read only after its signature checked out.
    static func payload(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let data = Data(base64URL: parts[1]),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw OIDCFailure.tokenRefused("an unreadable payload") }
        return object
    }
}
