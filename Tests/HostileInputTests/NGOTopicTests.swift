import Domain
import EventJSON
import Foundation
import Kafka
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// Broken and hostile records on the NGO topic, valid entries in between: each
/// bad record is parked on the dead-letter topic with its reason or answered
/// with its rejection code, the consumer keeps going, and every valid entry
/// counts exactly once in timesheet and in ordering.
@Suite("Hostile records on the NGO topic", .serialized, .timeLimit(.minutes(5)))
struct NGOTopicTests {
    enum Outcome: Sendable, CustomStringConvertible {
        /// Parked on `asysta.timesheet.submissions.dlq` with this `asysta-dlq-reason`.
        case deadLetter(String)
        /// Answered `TimesheetEntryRejected` with this code.
        case rejected(TimesheetRejectionCode)
        /// Answered `HoursAccounted` with these minutes.
        case accepted(minutes: Int)
        /// Reused the CloudEvents id of an accepted entry with other bytes: parked
        /// `duplicate-id` and answered `duplicate-id`, so the NGO sees its bug.
        case reusedID

        var description: String {
            switch self {
            case let .deadLetter(reason): "dead letter \(reason)"
            case let .rejected(code): "rejected \(code.rawValue)"
            case let .accepted(minutes): "accepted, \(minutes) min"
            case .reusedID: "dead letter and answer duplicate-id"
            }
        }
    }

    struct Case: Sendable {
        var kind: String
        /// The record key of a dead-lettered record (unique per case), or the entry id of an answered one.
        var marker: String
        var records: [KafkaOutgoingMessage]
        var expected: Outcome
    }

    static let multiMegabyte = 3 * 1024 * 1024

    /// An entry accepted before the cases are sent, whose CloudEvents id the reused-id cases repeat.
    struct Original {
        var entry: TimesheetEntrySubmitted
        var id: String
        var record: KafkaOutgoingMessage
    }

    static func original(_ ngo: NGORecords) throws -> Original {
        let entry = ngo.entry("H-original", from: "14:00", to: "14:30")
        let id = UUID().uuidString.lowercased()
        return Original(
            entry: entry, id: id,
            record: ngo.record(try ngo.bytes(entry, id: id), key: entry.participantID.rawValue, signedWith: ngo.world.currentKey))
    }

    /// One row per kind of input; the valid entries are interleaved by `run`.
    static func cases(_ ngo: NGORecords, reusing original: Original) throws -> [Case] {
        let world = ngo.world
        func slug(_ kind: String) -> String { kind.lowercased().filter { $0.isLetter || $0 == " " }.replacingOccurrences(of: " ", with: "-") }
        func parked(_ kind: String, _ reason: String, _ value: [UInt8]) -> Case {
            let marker = "hostile-\(slug(kind))"
            return Case(
                kind: kind, marker: marker, records: [ngo.record(value, key: marker, signedWith: world.currentKey)], expected: .deadLetter(reason))
        }
        /// The accepted entry edited as a buggy id generator would send it: same `source`
        /// and `id`, an entry id of its own, then `edit`.
        func reused(_ kind: String, expecting expected: Outcome = .reusedID, _ edit: (inout [String: Any]) -> Void) throws -> Case {
            let marker = "reused-\(slug(kind))"
            let value = try ngo.edited(original.entry, id: original.id) { object in
                var data = object["data"] as! [String: Any]
                data["entryID"] = marker
                object["data"] = data
                edit(&object)
            }
            return Case(
                kind: "\(kind), id reused", marker: marker, records: [ngo.record(value, key: marker, signedWith: world.currentKey)],
                expected: expected)
        }
        func data(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { object in
                var data = object["data"] as! [String: Any]
                edit(&data)
                object["data"] = data
            }
        }
        func answered(_ kind: String, _ entry: TimesheetEntrySubmitted, _ expected: Outcome, _ record: KafkaOutgoingMessage? = nil) throws -> Case {
            Case(kind: kind, marker: entry.entryID, records: [try record ?? ngo.signed(entry)], expected: expected)
        }
        let sample = ngo.entry("H-sample", from: "12:00", to: "12:30")
        var absurd = ngo.entry("H-absurd", from: "08:00", to: "09:00")
        absurd.end = absurd.start.addingTimeInterval(30 * 3600)
        let replayed = try ngo.signed(ngo.entry("H-replayed", from: "10:00", to: "10:30"))
        let resent = ngo.entry("H-resent", from: "11:30", to: "12:00")
        let foreignSecret = SigningKey(
            keyID: world.currentKey.keyID, providerID: World.ngo, secret: Array("an NGO that is not who it claims".utf8), expiresAt: nil)
        let unknownKey = SigningKey(keyID: "key-nobody-issued", providerID: World.ngo, secret: world.currentKey.secret, expiresAt: nil)
        let hugeNote = ngo.entry("H-huge", from: "12:00", to: "12:30")

        return [
            // Unreadable: nobody can be answered, so the record is parked.
            parked("broken JSON", "malformed-json", Array(#"{"specversion":"1.0","id":"x","data":{"entryID":"#.utf8)),
            parked("non-JSON value", "malformed-json", [0xff, 0xfe, 0x00, 0x01] + Array("PK binary".utf8)),
            parked("empty value", "malformed-json", []),
            parked("multi-megabyte record", "too-large", try ngo.editedData(hugeNote) { $0["note"] = String(repeating: "x", count: multiMegabyte) }),
            parked("wrong specversion", "unsupported-specversion", try ngo.edited(sample) { $0["specversion"] = "0.3" }),
            parked("missing CloudEvents id", "missing-field", try ngo.edited(sample) { $0["id"] = nil }),
            parked("unknown event type", "unknown-type", try ngo.edited(sample) { $0["type"] = "com.example.Payroll.v1" }),
            parked("another topic's event type", "type-mismatch", try ngo.edited(sample) { $0["type"] = HoursAccounted.eventType.description }),
            parked("wrong JSON type", "wrong-field-type", try ngo.editedData(sample) { $0["sequence"] = "one" }),
            parked("missing required field", "missing-field", try ngo.editedData(sample) { $0["orderID"] = nil }),
            parked("unknown activity", "invalid-value", try ngo.editedData(sample) { $0["activity"] = "skydiving" }),
            parked("time without a zone", "invalid-value", try ngo.editedData(sample) { $0["start"] = "2022-06-06T12:00:00" }),

            // The readable-envelope kinds again under an accepted entry's id: the envelope is
            // checked first, then the inbox, so only a broken envelope keeps its own reason.
            try reused("wrong specversion", expecting: .deadLetter("unsupported-specversion")) { $0["specversion"] = "0.3" },
            try reused("unknown event type") { $0["type"] = "asysta.timesheet.Nonsense.v1" },
            try reused("another topic's event type") { $0["type"] = HoursAccounted.eventType.description },
            try reused("missing required field", data { $0["orderID"] = nil }),
            try reused("wrong JSON type", data { $0["sequence"] = "one" }),
            try reused("unknown activity", data { $0["activity"] = "gardening" }),
            try reused("otherwise valid entry") { _ in },
            Case(
                kind: "accepted entry redelivered byte for byte", marker: original.entry.entryID, records: [original.record],
                expected: .accepted(minutes: 30)),

            // Readable but invalid: answered, so the NGO can fix it.
            try answered("end before start", ngo.entry("H-backwards", from: "13:00", to: "12:00"), .rejected(.invalidEntry)),
            try answered("zero hours", ngo.entry("H-zero", from: "13:00", to: "13:00"), .rejected(.invalidEntry)),
            try answered("absurd hours (30 h)", absurd, .rejected(.invalidEntry)),
            try answered(
                "void without a reason", ngo.entry("H-void", sequence: 2, action: .void, from: "13:00", to: "13:30"), .rejected(.invalidEntry)),
            try answered("NUL in the entry id", ngo.entry("H-nul\u{0}x", from: "13:00", to: "13:30"), .rejected(.invalidEntry)),

            // Signed wrongly.
            try answered(
                "forged signature", ngo.entry("H-forged", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.signed(ngo.entry("H-forged", from: "13:00", to: "13:30"), with: foreignSecret)),
            try answered(
                "key replaced by a newer one", ngo.entry("H-rotated", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.signed(ngo.entry("H-rotated", from: "13:00", to: "13:30"), with: world.replacedKey)),
            try answered(
                "unknown key id", ngo.entry("H-unknown-key", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.signed(ngo.entry("H-unknown-key", from: "13:00", to: "13:30"), with: unknownKey)),
            try answered(
                "no signature", ngo.entry("H-unsigned", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.record(try ngo.bytes(ngo.entry("H-unsigned", from: "13:00", to: "13:30")), key: world.participant.rawValue, signedWith: nil)),
            try answered(
                "malformed signature header", ngo.entry("H-bad-header", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.record(
                    try ngo.bytes(ngo.entry("H-bad-header", from: "13:00", to: "13:30")), key: world.participant.rawValue, signedWith: nil,
                    signature: "keyId=\(world.currentKey.keyID), alg=hmac-sha256, sig=' OR 1=1 --")),
            try answered(
                "source of another NGO", ngo.entry("H-impostor", from: "13:00", to: "13:30"), .rejected(.badSignature),
                ngo.signed(ngo.entry("H-impostor", from: "13:00", to: "13:30"), source: "/providers/\(World.otherNGO)")),

            // Well signed, but not this NGO's to claim.
            try answered(
                "another NGO's order", ngo.entry("H-theirs", order: world.otherNGOsOrder, from: "10:00", to: "11:00", day: "2022-06-07"),
                .rejected(.orderNotAssigned)),
            try answered(
                "cancelled order", ngo.entry("H-cancelled", order: world.cancelledOrder, from: "10:00", to: "11:00", day: "2022-06-08"),
                .rejected(.unknownOrder)),
            try answered(
                "beyond the allowance",
                ngo.entry("H-too-much", order: world.tightOrder, participant: world.tightParticipant, from: "10:00", to: "12:30", day: "2022-06-09"),
                .rejected(.allowanceExceeded)),
            try answered("outside the order's time", ngo.entry("H-early", from: "07:00", to: "08:00"), .rejected(.outsideOrder)),

            // Odd but valid: accepted, stored and shown as sent.
            try answered("SQL in the entry id", ngo.entry("'; DROP TABLE entry_versions; --", from: "10:30", to: "11:00"), .accepted(minutes: 30)),
            try answered("emoji and RTL override in the entry id", ngo.entry("PS/\u{202E}🙂/1", from: "11:00", to: "11:30"), .accepted(minutes: 30)),
            Case(kind: "replayed record", marker: "H-replayed", records: [replayed, replayed], expected: .accepted(minutes: 30)),
            Case(
                kind: "same version resent as a new event", marker: "H-resent", records: [try ngo.signed(resent), try ngo.signed(resent)],
                expected: .accepted(minutes: 30)),
        ]
    }

    @Test("each bad record is parked or answered with its reason; valid entries in between count exactly once")
    func hostileRecords() async throws {
        try await HostileSuite.run { suite in
            let world = try await World.prepare(on: suite)
            let ngo = NGORecords(topic: suite.topic(.timesheetSubmissions), world: world)
            let original = try Self.original(ngo)
            let cases = try Self.cases(ngo, reusing: original)
            #expect(Set(cases.map(\.kind)).count == cases.count)

            // The entry whose id is reused is applied before anything repeats it.
            try await suite.send([original.record])
            _ = try await eventually("the original entry is answered") {
                try await suite.results.waitFor(timeout: .seconds(1)) { $0.payload["entryID"] as? String == original.entry.entryID }
            }

            // Valid entries between every few bad records, and one after all of them.
            let valid = (1...4).map {
                ngo.entry("H-valid-\($0)", from: ["08:00", "08:30", "09:00", "09:30"][$0 - 1], to: ["08:30", "09:00", "09:30", "10:00"][$0 - 1])
            }
            let spacing = cases.count / valid.count
            for (index, test) in cases.enumerated() {
                if index % spacing == 0, let entry = valid.dropFirst(index / spacing).first { try await suite.send([try ngo.signed(entry)]) }
                try await suite.send(test.records)
            }
            let last = ngo.entry("H-valid-last", from: "19:00", to: "19:30")
            try await suite.send([try ngo.signed(last)])
            let all =
                cases + (valid + [last]).map { Case(kind: "valid \($0.entryID)", marker: $0.entryID, records: [], expected: .accepted(minutes: 30)) }

            // The consumer is still consuming: the entry sent after every bad one is answered.
            _ = try await eventually("the last valid entry is answered") {
                try await suite.results.waitFor(timeout: .seconds(1)) { $0.payload["entryID"] as? String == last.entryID }
            }
            // Lanes apply different participants' records side by side, so the last one
            // answered is not proof that the rest are: wait for each expected answer.
            _ = try await eventually("every entry that gets an answer is answered") { () -> Bool? in
                let entries = Set(try await suite.results.events().compactMap { $0.payload["entryID"] as? String })
                return all.allSatisfy { test in
                    switch test.expected {
                    case .rejected, .accepted, .reusedID: entries.contains(TimesheetEntryRejected.fitting(test.marker))
                    case .deadLetter: true
                    }
                } ? true : nil
            }
            _ = try await eventually("every dead letter is parked") { () -> Bool? in
                let keys = Set(try await suite.deadLetters.records().compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } })
                return all.allSatisfy { test in
                    switch test.expected {
                    case .deadLetter, .reusedID: keys.contains(test.marker)
                    case .rejected, .accepted: true
                    }
                } ? true : nil
            }

            let answers = try await suite.results.events()
            // One dead-letter topic serves every group reading the topic: keep timesheet's.
            let deadLetters = try await suite.deadLetters.records().filter {
                $0.header("asysta-dlq-consumer-group").map { String(decoding: $0, as: UTF8.self) } == "\(suite.namespace)-timesheet"
            }
            for test in all {
                let mine = answers.filter {
                    $0.payload["entryID"] as? String == TimesheetEntryRejected.fitting(test.marker)
                        && $0.payload["providerID"] as? String == World.ngo.rawValue
                }
                let parked = deadLetters.filter { $0.key == Array(test.marker.utf8) }
                switch test.expected {
                case let .deadLetter(reason):
                    #expect(parked.count == 1, "\(test.kind): parked \(parked.count) times")
                    #expect(parked.first?.header("asysta-dlq-reason").map { String(decoding: $0, as: UTF8.self) } == reason, "\(test.kind)")
                    #expect(mine.isEmpty, "\(test.kind): answered \(mine)")
                case .reusedID:
                    #expect(parked.count == 1, "\(test.kind): parked \(parked.count) times")
                    #expect(parked.first?.header("asysta-dlq-reason").map { String(decoding: $0, as: UTF8.self) } == "duplicate-id", "\(test.kind)")
                    #expect(mine.count == 1, "\(test.kind): \(mine.count) answers")
                    #expect(
                        mine.first?.payload["code"] as? String == TimesheetRejectionCode.duplicateID.rawValue,
                        "\(test.kind): \(mine.first?.payload ?? [:])")
                case let .rejected(code):
                    #expect(mine.count == 1, "\(test.kind): \(mine.count) answers")
                    #expect(mine.first?.eventType == TimesheetEntryRejected.eventType.description, "\(test.kind): \(mine.first ?? [:])")
                    #expect(mine.first?.payload["code"] as? String == code.rawValue, "\(test.kind): \(mine.first?.payload ?? [:])")
                case let .accepted(minutes):
                    #expect(mine.count == 1, "\(test.kind): \(mine.count) answers")
                    #expect(mine.first?.eventType == HoursAccounted.eventType.description, "\(test.kind): \(mine.first ?? [:])")
                    #expect(mine.first?.payload["minutes"] as? Int == minutes, "\(test.kind)")
                }
            }

            // Every record has exactly one outcome: an answer, a dead letter (a reused id's
            // with its answer), or a silent skip — the two byte-identical redeliveries and
            // the version resent under a new id, which change nothing and are answered once.
            let markers = Set(all.map { TimesheetEntryRejected.fitting($0.marker) })
            let answered = answers.filter {
                $0.payload["providerID"] as? String == World.ngo.rawValue && ($0.payload["entryID"] as? String).map(markers.contains) == true
                    && $0.payload["code"] as? String != TimesheetRejectionCode.duplicateID.rawValue
            }
            let sent = 1 + cases.reduce(0) { $0 + $1.records.count } + valid.count + 1
            #expect(
                answered.count + deadLetters.count + 3 == sent,
                "\(answered.count) answers, \(deadLetters.count) dead letters, 3 skips for \(sent) records")

            // Every answer keeps TimesheetEntryRejected's (or HoursAccounted's) schema, however broken the record it answers.
            let problems = try await ContractCheck.problems(in: try await suite.results.records())
            #expect(problems.isEmpty, "\(problems)")

            // The multi-megabyte record is parked cut to the decoder's limit, its size in a header.
            let huge = try #require(deadLetters.first { $0.key == Array("hostile-multimegabyte-record".utf8) })
            let hugeRecord = try #require(cases.first { $0.kind == "multi-megabyte record" }).records[0].value
            #expect(huge.value == Array(hugeRecord.prefix(EventCodec.maximumSize)))
            #expect(huge.header("asysta-dlq-original-bytes").map { String(decoding: $0, as: UTF8.self) } == "\(hugeRecord.count)")

            // What was accepted is stored as sent and shown in the history.
            let sqlHistory = try await suite.timesheet.call(
                .get, "/providers/\(World.ngo)/entries/\(PathSegment.encoded("'; DROP TABLE entry_versions; --"))",
                as: .role(.provider, provider: World.ngo.rawValue))
            #expect(sqlHistory.status == .ok)
            #expect(sqlHistory.body["entryID"] as? String == "'; DROP TABLE entry_versions; --")

            // Nothing valid lost or doubled: ordering counts exactly the accepted minutes.
            let accepted = all.reduce(0) { sum, test in if case let .accepted(minutes) = test.expected { sum + minutes } else { sum } }
            _ = try await eventually("ordering counts exactly the accepted minutes, \(accepted)") { () -> Bool? in
                let answer = try await suite.ordering.call(.get, "/participants/\(world.participant)/allowance", as: .coordinator)
                return answer.body["deliveredMinutes"] as? Int == accepted ? true : nil
            }

            try await suite.expectEveryServiceReady()
        }
    }
}
