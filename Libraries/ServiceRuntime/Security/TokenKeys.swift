import Crypto
import FoundationEssentials
import JWTKit

/// A private key that signs the suite's bearer tokens: Ed25519 (EdDSA), named by
/// its `kid`. Only the signers hold one (asysta-admin, the portal); the services
/// hold the public halves (`TokenVerifier`), so a compromised service cannot mint
/// a token. Kept as a private JWK: `{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":…,"x":…,"d":…}`.
public struct TokenSigningKey: Sendable {
    public let kid: String
    let key: Curve25519.Signing.PrivateKey

    /// A fresh key pair.
    public static func generate(kid: String) -> TokenSigningKey {
        TokenSigningKey(kid: kid, key: Curve25519.Signing.PrivateKey())
    }

    init(kid: String, key: Curve25519.Signing.PrivateKey) {
        self.kid = kid
        self.key = key
    }

    /// Reads a private JWK as `privateJWK` writes it.
    public init(jwk json: String) throws(TokenKeyError) {
        guard let jwk = try? JSONDecoder().decode(OctetKeyPair.self, from: Data(json.utf8)), jwk.isEd25519, let kid = jwk.kid, !kid.isEmpty,
            let d = jwk.d.flatMap(Data.init(base64URL:)), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: d)
        else { throw .notAPrivateKey }
        self.init(kid: kid, key: key)
    }

    /// The private JWK, for the signer's secret store only.
    public var privateJWK: String {
        OctetKeyPair(kid: kid, x: key.publicKey.rawRepresentation.base64URL, d: key.rawRepresentation.base64URL).json
    }

    /// The public JWK, for every service's `auth.jwks`.
    public var publicJWK: String { OctetKeyPair.publicJWK(kid: kid, key: key.publicKey) }
}

/// The public keys a service trusts: a JWKS (`{"keys":[…]}`) of Ed25519 keys
/// with a `kid` each. One holding a private key is refused, so a private key put
/// in a service's settings by mistake stops it instead of sitting there.
public struct TrustedTokenKeys: Sendable {
    let keys: [(kid: String, key: Curve25519.Signing.PublicKey)]

    public init(jwks json: String) throws(TokenKeyError) {
        struct Set: Decodable { var keys: [OctetKeyPair] }
        guard let set = try? JSONDecoder().decode(Set.self, from: Data(json.utf8)) else { throw .notAKeySet }
        var keys: [(String, Curve25519.Signing.PublicKey)] = []
        for jwk in set.keys {
            guard jwk.d == nil else { throw .privateKeyInKeySet }
            guard jwk.isEd25519, let kid = jwk.kid, !kid.isEmpty, let x = jwk.x.flatMap(Data.init(base64URL:)),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x)
            else { throw .notAKeySet }
            keys.append((kid, key))
        }
        guard !keys.isEmpty else { throw .notAKeySet }
        self.keys = keys
    }

    /// The public JWKs of a key set, checked as `init(jwks:)` checks them, to add a key to it.
    public static func publicJWKs(in json: String) throws(TokenKeyError) -> [String] {
        try TrustedTokenKeys(jwks: json).keys.map { OctetKeyPair.publicJWK(kid: $0.kid, key: $0.key) }
    }

    /// A key set of public JWKs (`TokenSigningKey.publicJWK`).
    public static func jwks(_ publicJWKs: [String]) -> String { #"{"keys":["# + publicJWKs.joined(separator: ",") + "]}" }
}

public enum TokenKeyError: Error, CustomStringConvertible {
    case notAPrivateKey, notAKeySet, privateKeyInKeySet

    public var description: String {
        switch self {
        case .notAPrivateKey: "the signing key must be an Ed25519 private JWK with a kid (asysta-admin keys generate writes one)"
        case .notAKeySet: "the trusted keys must be a JWKS of Ed25519 public keys, each with a kid (asysta-admin keys generate writes one)"
        case .privateKeyInKeySet: "the trusted keys hold a private key: a service needs only public keys, and must never hold a private one"
        }
    }
}

/// The JWK fields of an Ed25519 key, in the order RFC 8037 gives them.
private struct OctetKeyPair: Codable {
    var kty = "OKP"
    var crv = "Ed25519"
    var alg: String? = "EdDSA"
    var use: String? = "sig"
    var kid: String?
    var x: String?
    var d: String?

    init(kid: String, x: String, d: String?) {
        self.kid = kid
        self.x = x
        self.d = d
    }

    static func publicJWK(kid: String, key: Curve25519.Signing.PublicKey) -> String {
        OctetKeyPair(kid: kid, x: key.rawRepresentation.base64URL, d: nil).json
    }

    var isEd25519: Bool { kty == "OKP" && crv == "Ed25519" && (alg ?? "EdDSA") == "EdDSA" }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

extension Data {
    /// RFC 4648 base64url, padding optional: JWKs, JWT headers, the portal's cookies and codes.
    public init?(base64URL text: some StringProtocol) {
        var base64 = String(text).replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    public var base64URL: String {
        base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
}

extension Settings {
    /// The public keys this service trusts: `auth.jwks` (the JWKS itself) or
    /// `auth.jwks_file` (a path to it). A service does not start without them.
    public func trustedKeys() throws -> TrustedTokenKeys {
        try TrustedTokenKeys(jwks: try inlineOrFile("auth.jwks"))
    }

    /// The private key this signer signs with: `auth.signing_key` (the private JWK)
    /// or `auth.signing_key_file` (a path to it).
    public func signingKey() throws -> TokenSigningKey {
        try TokenSigningKey(jwk: try inlineOrFile("auth.signing_key"))
    }

    private func inlineOrFile(_ key: String) throws -> String {
        if let value = string(key), !value.isEmpty { return value }
        guard let path = string(key + "_file"), !path.isEmpty else { throw SettingsError.missing(key) }
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError.unreadable(path) }
        return String(decoding: data, as: UTF8.self)
    }
}
