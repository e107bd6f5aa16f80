import Crypto
import Foundation

/// A one-time code handed to a person on paper or in person: twelve characters
/// from an alphabet without look-alikes (no 0/O, 1/I/L), in three groups of
/// four, so it can be read aloud and typed on a phone. 31^12 ≈ 2^59 codes:
/// with attempts throttled per address, guessing one is hopeless, and a fast
/// hash is enough to keep the stored form useless to a reader of the table.
enum ActivationCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func generate() -> String {
        let characters = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }
        return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed, without spaces or dashes and in capitals; nil when it
    /// cannot be a code (so the database is not asked).
    static func normalised(_ typed: String) -> String? {
        let cleaned = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard cleaned.count == 12, cleaned.allSatisfy(alphabet.contains) else { return nil }
        return cleaned
    }

    static func hash(_ normalised: String) -> Data {
        Data(SHA256.hash(data: Data(("asysta-activation:" + normalised).utf8)))
    }
}
