import Crypto
import Domain
import EventJSON
import Foundation
import Kafka

/// The record an NGO system publishes for an entry, as `docs/ngo-guide.md`
/// tells it to: the entry in its envelope, signed with HMAC-SHA256 over the
/// record's exact bytes in the `asysta-signature` header, keyed by participant.
public enum SignedEntry {
    public static func record(
        _ entry: TimesheetEntrySubmitted, eventID: String = UUID().uuidString.lowercased(),
        keyID: String, secret: [UInt8], topic: String
    ) throws -> KafkaOutgoingMessage {
        let value = try EventCodec.encode(EventEnvelope(id: eventID, source: "/providers/\(entry.providerID.rawValue)", data: entry))
        let mac = HMAC<SHA256>.authenticationCode(for: value, using: SymmetricKey(data: secret))
        let header = "keyId=\(keyID),alg=hmac-sha256,sig=" + mac.hexadecimal
        return KafkaOutgoingMessage(
            topic: topic, key: Array(entry.partitionKey.utf8), value: value,
            headers: [KafkaHeader(key: "asysta-signature", value: Array(header.utf8))])
    }
}
