import Crypto
import Domain
import FoundationEssentials

/// Seals personal data (names, PESEL, addresses, contacts, documents) with
/// AES-256-GCM, and makes the keyed hash (HMAC-SHA256) that finds a PESEL again
/// without storing it in the clear. Keys come from settings, never from code.
struct PersonalDataCipher: Sendable {
    // Kept as bytes: `SymmetricKey` is not Sendable; a key is made per use (cheap).
    private let encryptionKeyBytes: Data
    private let hashKeyBytes: Data
    private var encryptionKey: SymmetricKey { SymmetricKey(data: encryptionKeyBytes) }
    private var hashKey: SymmetricKey { SymmetricKey(data: hashKeyBytes) }

    enum KeyError: Error, CustomStringConvertible {
        case invalid(String)
        var description: String {
            switch self {
            case let .invalid(setting): "the setting '\(setting)' must be a base64 key of 32 bytes"
            }
        }
    }

    /// Both keys as base64 of 32 bytes (`openssl rand -base64 32`).
    init(encryptionKeyBase64: String, hashKeyBase64: String) throws {
        guard let encryption = Data(base64Encoded: encryptionKeyBase64), encryption.count == 32 else {
            throw KeyError.invalid("intake.encryption_key")
        }
        guard let hash = Data(base64Encoded: hashKeyBase64), hash.count >= 32 else { throw KeyError.invalid("intake.hash_key") }
        encryptionKeyBytes = encryption
        hashKeyBytes = hash
    }

    /// Nonce, ciphertext and tag in one blob.
    func seal(_ plaintext: some DataProtocol) throws -> Data {
        try AES.GCM.seal(plaintext, using: encryptionKey).combined!
    }

    func open(_ sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: encryptionKey)
    }

    func seal<T: Encodable>(json value: T) throws -> Data {
        try seal(JSONEncoder().encode(value))
    }

    func open<T: Decodable>(json type: T.Type, from sealed: Data) throws -> T {
        try JSONDecoder().decode(type, from: open(sealed))
    }

    /// The duplicate key of a person in an edition: HMAC-SHA256 over "edition|PESEL".
    func personKey(pesel: String, edition: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("\(edition)|\(pesel)".utf8), using: hashKey))
    }

    static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).hexadecimal
    }
}
