import Domain
import EventJSON
import Foundation
import Kafka

@testable import Timesheet

/// Records as an NGO's system (or a broken or hostile one) puts them on the submissions topic.
struct NGORecords {
    let topic: String
    let world: World

    /// An entry of the first NGO for the main order on 2022-06-06 (times are Warsaw summer time).
    func entry(
        _ id: String, sequence: Int = 1, action: TimesheetEntrySubmitted.Action = .submit, order: OrderID? = nil,
        participant: ParticipantID? = nil, from start: String, to end: String, reason: String? = nil, day: String = "2022-06-06"
    ) -> TimesheetEntrySubmitted {
        TimesheetEntrySubmitted(
            providerID: World.ngo, entryID: id, sequence: sequence, action: action, assistantID: world.assistant,
            orderID: order ?? world.mainOrder, participantID: participant ?? world.participant,
            start: Timestamp.parse("\(day)T\(start):00+02:00")!, end: Timestamp.parse("\(day)T\(end):00+02:00")!,
            activity: .mobility, reason: reason)
    }

    /// The entry's CloudEvent bytes, under a fresh CloudEvents id unless `id` is given.
    func bytes(_ entry: TimesheetEntrySubmitted, source: String? = nil, id: String? = nil) throws -> [UInt8] {
        try EventCodec.encode(
            EventEnvelope(id: id ?? UUID().uuidString.lowercased(), source: source ?? "/providers/\(entry.providerID)", data: entry))
    }

    /// The entry's bytes with the JSON object changed by `edit` (what a broken encoder sends).
    func edited(_ entry: TimesheetEntrySubmitted, id: String? = nil, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try JSONSerialization.jsonObject(with: Data(try bytes(entry, id: id))) as! [String: Any]
        edit(&object)
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    /// The entry's record with its `data` object edited.
    func editedData(_ entry: TimesheetEntrySubmitted, id: String? = nil, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        try edited(entry, id: id) { object in
            var data = object["data"] as! [String: Any]
            edit(&data)
            object["data"] = data
        }
    }

    /// A record keyed `key`, signed over exactly `value` with `key` (or carrying `signature` as given).
    func record(_ value: [UInt8], key: String, signedWith signingKey: SigningKey?, signature: String? = nil) -> KafkaOutgoingMessage {
        let header = signature ?? signingKey.map { Signature.header(keyID: $0.keyID, secret: $0.secret, value: value) }
        return KafkaOutgoingMessage(
            topic: topic, key: Array(key.utf8), value: value,
            headers: header.map { [KafkaHeader(key: Signature.headerName, value: Array($0.utf8))] } ?? [])
    }

    /// A correctly signed record of the entry, keyed by its participant as the guide says.
    func signed(_ entry: TimesheetEntrySubmitted, with key: SigningKey? = nil, source: String? = nil) throws -> KafkaOutgoingMessage {
        record(try bytes(entry, source: source), key: entry.participantID.rawValue, signedWith: key ?? world.currentKey)
    }
}
