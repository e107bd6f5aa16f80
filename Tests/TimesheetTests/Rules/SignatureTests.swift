import Domain
import Foundation
import Testing

@testable import Timesheet

/// The contract's signature, one row per way it can fail.
@Suite struct SignatureTests {
    static let secret = Array(repeating: UInt8(7), count: 32)
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let keys: [String: SigningKey] = [
        "k-a": SigningKey(keyID: "k-a", providerID: ProviderID("ngo-a"), secret: secret, expiresAt: nil),
        "k-a-old": SigningKey(keyID: "k-a-old", providerID: ProviderID("ngo-a"), secret: secret, expiresAt: now.addingTimeInterval(-1)),
        "k-a-grace": SigningKey(keyID: "k-a-grace", providerID: ProviderID("ngo-a"), secret: secret, expiresAt: now.addingTimeInterval(60)),
        "k-b": SigningKey(keyID: "k-b", providerID: ProviderID("ngo-b"), secret: secret, expiresAt: nil),
    ]
    static let value = Array(#"{"specversion":"1.0","data":{"providerID":"ngo-a"}}"#.utf8)

    static func header(_ keyID: String, over bytes: [UInt8] = value) -> String {
        Signature.header(keyID: keyID, secret: secret, value: bytes)
    }

    @Test(
        arguments: [
            ("valid", header("k-a"), "/providers/ngo-a", nil),
            ("a replaced key within its grace period", header("k-a-grace"), "/providers/ngo-a", nil),
            ("no header", nil, "/providers/ngo-a", "no 'asysta-signature' header"),
            ("spaces", header("k-a").replacingOccurrences(of: ",", with: ", "), "/providers/ngo-a", "must read keyId="),
            (
                "upper-case hex",
                header("k-a").uppercased().replacingOccurrences(of: "KEYID=K-A,ALG=HMAC-SHA256,SIG=", with: "keyId=k-a,alg=hmac-sha256,sig="),
                "/providers/ngo-a", "must read keyId="
            ),
            ("another algorithm", header("k-a").replacingOccurrences(of: "hmac-sha256", with: "ed25519"), "/providers/ngo-a", "must read keyId="),
            ("an unknown key", header("k-x"), "/providers/ngo-a", "not registered for provider ngo-a"),
            ("another NGO's key", header("k-b"), "/providers/ngo-a", "not registered for provider ngo-a"),
            ("an expired key", header("k-a-old"), "/providers/ngo-a", "expired"),
            ("another source", header("k-a"), "/providers/ngo-b", "source must be /providers/ngo-a"),
            ("other bytes", header("k-a", over: value + [10]), "/providers/ngo-a", "does not match"),
        ] as [(String, String?, String, String?)])
    func checks(_ name: String, _ header: String?, _ source: String, _ problem: String?) {
        let found = SignatureCheck.problem(
            header: header, value: Self.value, providerID: ProviderID("ngo-a"), source: source, keys: Self.keys, now: Self.now)
        if let problem {
            #expect(found?.contains(problem) == true, "\(name): \(found ?? "accepted")")
        } else {
            #expect(found == nil, "\(name): \(found ?? "")")
        }
    }

    @Test func theHeaderMatchesOpenSSL() {
        // printf 'hello' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0707…07
        let header = Signature.header(keyID: "k", secret: Self.secret, value: Array("hello".utf8))
        #expect(header == "keyId=k,alg=hmac-sha256,sig=290af183d08286ae740dfed386724985dc666de6350a8df2e8520307ae2503ed")
        #expect(Signature(header: header)?.mac.count == 32)
    }
}
