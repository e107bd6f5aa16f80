import Domain
import Foundation
import Kafka
import TestSupport
import Testing

@testable import Messaging

/// Every record ends with exactly one outcome: an effect, a silent skip of a
/// byte-identical redelivery, or a dead letter with its reason — over generated
/// mixes of valid, unreadable, redelivered and id-reusing records, across lanes
/// and batches. `ASYSTA_OUTCOME_SEED` replays a failing mix.
@Suite("Every record's outcome", .serialized)
struct OutcomeTests {
    /// What the consumer must do with a record.
    enum Expected: Hashable, CustomStringConvertible {
        case effect(marker: String)
        case redelivered
        case deadLetter(reason: String)

        var description: String {
            switch self {
            case let .effect(marker): "effect \(marker)"
            case .redelivered: "silently skipped redelivery"
            case let .deadLetter(reason): "dead letter \(reason)"
            }
        }
    }

    /// The kinds of record a sender can produce, valid first.
    enum Kind: CaseIterable {
        case valid, malformedJSON, empty, unsupportedSpecversion, unknownType, typeMismatch, missingField, wrongFieldType, invalidValue

        /// Whether `source` and `id` can be read, so the inbox can tell a reused id.
        var envelopeIsReadable: Bool { ![.malformedJSON, .empty, .unsupportedSpecversion].contains(self) }

        var reason: String {
            switch self {
            case .valid: ""
            case .malformedJSON, .empty: "malformed-json"
            case .unsupportedSpecversion: "unsupported-specversion"
            case .unknownType: "unknown-type"
            case .typeMismatch: "type-mismatch"
            case .missingField: "missing-field"
            case .wrongFieldType: "wrong-field-type"
            case .invalidValue: "invalid-value"
            }
        }
    }

    struct Record {
        var key: String
        var value: [UInt8]
        var expected: Expected
    }

    /// A mix of `count` records over `keys` record keys. A redelivery or a reused id
    /// takes the key of the record it repeats, so it reaches the consumer after it.
    static func mix(count: Int, keys: Int, seed: UInt64, fixture: MessagingFixture) throws -> [Record] {
        var random = SplitMix64(seed: seed)
        // Records the inbox holds under their source and id, with their key.
        var originals: [(id: String, key: String, value: [UInt8])] = []
        var records: [Record] = []
        for index in 0..<count {
            let key = "k-\(random.next(below: keys))"
            let roll = random.next(below: 100)
            if roll < 15, let original = originals.randomElement(using: &random) {
                records.append(Record(key: original.key, value: original.value, expected: .redelivered))
                continue
            }
            // Half valid, half spread over the unreadable kinds; a fifth of them reuse an id.
            let kind = random.next(below: 2) == 0 ? Kind.valid : Kind.allCases[1 + random.next(below: Kind.allCases.count - 1)]
            let reused = roll < 35 ? originals.randomElement(using: &random) : nil
            let id = reused?.id ?? randomUUIDString()
            let marker = "m-\(index)"
            let value = try Self.value(kind, id: id, marker: marker, fixture: fixture)
            let expected: Expected
            switch (kind, reused) {
            case (_, _?) where kind.envelopeIsReadable: expected = .deadLetter(reason: "duplicate-id")
            case (.valid, _): expected = .effect(marker: marker)
            default: expected = .deadLetter(reason: kind.reason)
            }
            let recordKey = reused?.key ?? key
            if reused == nil, kind.envelopeIsReadable { originals.append((id, recordKey, value)) }
            records.append(Record(key: recordKey, value: value, expected: expected))
        }
        return records
    }

    /// A record of the kind; every one differs from every other by its marker.
    static func value(_ kind: Kind, id: String, marker: String, fixture: MessagingFixture) throws -> [UInt8] {
        let valid = try fixture.event(marker, id: id).payload
        var object = try JSONSerialization.jsonObject(with: Data(valid)) as! [String: Any]
        var data = object["data"] as! [String: Any]
        switch kind {
        case .valid: return valid
        case .malformedJSON: return Array("{\"specversion\":\"1.0\",\"id\":\"\(id)\",\"data\":{\"participantID\":\"\(marker)\"".utf8)
        case .empty: return []
        case .unsupportedSpecversion: object["specversion"] = "0.3"
        case .unknownType: object["type"] = "asysta.tests.Nonsense.v1"
        case .typeMismatch: object["type"] = HoursAccounted.eventType.description
        case .missingField: data["applicationID"] = nil
        case .wrongFieldType: data["withdrawnOn"] = 20_220_601
        case .invalidValue: data["withdrawnOn"] = "2022-13-45"
        }
        object["data"] = data
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    @Test("generated mixes of 1 200 records: each ends with exactly one outcome, and the outcomes add up to the records")
    func generatedMixes() async throws {
        let seed = ProcessInfo.processInfo.environment["ASYSTA_OUTCOME_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let replay = "replay with ASYSTA_OUTCOME_SEED=\(seed)"
        let fixture = try await MessagingFixture.make("outcomes")
        let records = try Self.mix(count: 1_200, keys: 24, seed: seed, fixture: fixture)
        let effects = records.compactMap { if case let .effect(marker) = $0.expected { marker } else { nil } }
        let deadLetters = records.filter { if case .deadLetter = $0.expected { true } else { false } }

        try await fixture.running {
            let reports = await fixture.producer.send(
                records.map { KafkaOutgoingMessage(topic: fixture.topic, key: Array($0.key.utf8), value: $0.value) })
            var recordAt: [String: Record] = [:]
            for (record, report) in zip(records, reports) {
                let report = try report.get()
                recordAt["\(report.partition)/\(report.offset)"] = record
            }
            // Three lanes over three partitions, 50 records a batch (the fixture's).
            try await fixture.consume(group: "outcomes", lanes: 3, timeout: .seconds(120)) {
                let applied = try await fixture.effects().count
                let parked = try await fixture.unpublished()
                return applied >= effects.count && parked >= deadLetters.count
            }
            let applied = try await fixture.effects()
            #expect(applied.sorted() == effects.sorted(), "\(replay)")

            try await fixture.relay()
            let letters = try await fixture.read(fixture.topic + ".dlq", count: deadLetters.count)
            var parked: [String: [String]] = [:]
            for letter in letters {
                let header = { (name: String) in letter.header(name).map { String(decoding: $0, as: UTF8.self) } ?? "" }
                parked["\(header("asysta-dlq-partition"))/\(header("asysta-dlq-offset"))", default: []].append(header("asysta-dlq-reason"))
            }
            for (coordinates, record) in recordAt {
                switch record.expected {
                case let .deadLetter(reason):
                    #expect(
                        parked[coordinates] == [reason],
                        "record at \(coordinates), \(record.expected): parked as \(parked[coordinates] ?? []); \(replay)")
                case .effect, .redelivered:
                    #expect(
                        parked[coordinates] == nil, "record at \(coordinates), \(record.expected): parked as \(parked[coordinates] ?? []); \(replay)")
                }
            }
            let redelivered = records.count - effects.count - deadLetters.count
            #expect(applied.count + letters.count + redelivered == records.count, "\(replay)")
            #expect(redelivered > 100 && deadLetters.count > 200, "the mix has every outcome in number; \(replay)")
        }
    }
}
