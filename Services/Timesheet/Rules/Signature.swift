import Crypto
import Domain
import FoundationEssentials

/// The NGO contract's signature: the record header
/// `asysta-signature: keyId=<key id>,alg=hmac-sha256,sig=<64 lowercase hex>`,
/// an HMAC-SHA256 with the provider's registered key over the exact bytes of
/// the record value.
struct Signature: Hashable, Sendable {
    static let headerName = "asysta-signature"
    static let algorithm = "hmac-sha256"

    var keyID: String
    var mac: [UInt8]

    /// Parses the header exactly as the contract spells it; nil for anything else.
    /// Works on the UTF-8 bytes: every record of a backlog passes through here.
    init?(header: String) {
        let fields = Array(header.utf8).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].starts(with: Self.keyPrefix), fields[1].elementsEqual(Self.algorithmField),
            fields[2].starts(with: Self.signaturePrefix)
        else { return nil }
        let keyID = String(decoding: fields[0].dropFirst(Self.keyPrefix.count), as: UTF8.self)
        let hex = fields[2].dropFirst(Self.signaturePrefix.count)
        guard (1...128).contains(keyID.count), hex.count == 64, let mac = Self.bytes(hex: hex) else { return nil }
        self.keyID = keyID
        self.mac = mac
    }

    private static let keyPrefix = Array("keyId=".utf8)
    private static let algorithmField = Array("alg=\(algorithm)".utf8)
    private static let signaturePrefix = Array("sig=".utf8)

    /// The header value for `value` signed with `secret` (what an NGO computes).
    static func header(keyID: String, secret: [UInt8], value: some DataProtocol) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: value, using: SymmetricKey(data: secret))
        return "keyId=\(keyID),alg=\(algorithm),sig=\(hex(Array(mac)))"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex only, as the contract says.
    static func bytes(hex: some Collection<UInt8>) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(hex.count / 2)
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }
}

/// A provider's signing key as timesheet stores it.
struct SigningKey: Sendable {
    var keyID: String
    var providerID: ProviderID
    var secret: [UInt8]
    /// Set when a newer key replaced this one: it stays valid until then.
    var expiresAt: Date?
}

/// Checks a record's signature; the answer is nil when it holds, otherwise a
/// message an NGO's clerk or developer can act on.
enum SignatureCheck {
    static func problem(
        header: String?, value: some DataProtocol, providerID: ProviderID, source: String, keys: [String: SigningKey], now: Date
    ) -> String? {
        guard let header else {
            return
                "The record has no '\(Signature.headerName)' header. Sign the record value with your registered key as the NGO guide describes and send it again."
        }
        guard let signature = Signature(header: header) else {
            return
                "The '\(Signature.headerName)' header must read keyId=<key id>,alg=hmac-sha256,sig=<64 lowercase hex digits>, with no spaces; fix the header and send the entry again."
        }
        guard let key = keys[signature.keyID], key.providerID == providerID else {
            return
                "The key '\(signature.keyID.prefix(64))' is not registered for provider \(providerID). Use a key MOPS registered for your organisation, or ask MOPS to register one."
        }
        if let expiresAt = key.expiresAt, expiresAt <= now {
            return
                "The key '\(key.keyID)' was replaced by a newer key and expired at \(Timestamp.format(expiresAt)). Sign with your newest key and send the entry again."
        }
        guard source == "/providers/\(providerID)" else {
            return
                "The event's source must be /providers/\(providerID) (your provider id); it was '\(source.prefix(80))'. Fix the source and send the entry again."
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(signature.mac, authenticating: value, using: SymmetricKey(data: key.secret)) else {
            return
                "The signature does not match the record. Compute HMAC-SHA256 with your key over the exact bytes you publish (no reformatting after signing) and send the entry again."
        }
        return nil
    }
}
