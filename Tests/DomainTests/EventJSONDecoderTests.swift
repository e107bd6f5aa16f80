import Foundation
import TestSupport
import Testing

@testable import Domain
@testable import EventJSON

/// The suite's decoder answers only where Foundation's would, and with the same value.
@Suite struct EventJSONDecoderTests {
    /// What each decoder made of `bytes` as a `Payload` envelope: the value re-encoded, or nil / the error.
    struct Readings: Equatable, CustomStringConvertible {
        var fast: [UInt8]?
        var foundation: Result<[UInt8], EventDecodingError>

        var description: String {
            let fast = fast.map { String(decoding: $0, as: UTF8.self) } ?? "gave up"
            let foundation =
                switch foundation {
                case let .success(bytes): String(decoding: bytes, as: UTF8.self)
                case let .failure(error): "\(error)"
                }
            return "fast: \(fast)\nfoundation: \(foundation)"
        }

        /// Whether the fast path answered, and answered as Foundation did.
        var fastAgrees: Bool { fast != nil && foundation == .success(fast!) }
        /// Whether the fast path answered nothing Foundation would not.
        var consistent: Bool { fast == nil || fastAgrees }
    }

    static func readings(_ type: any DomainEvent.Type, _ bytes: [UInt8]) -> Readings {
        func open<Payload: DomainEvent>(_: Payload.Type) -> Readings {
            let encoder = EventJSONEncoder()
            let fast = EventJSONDecoder.decode(WireEnvelope<Payload>.self, from: bytes).map { try! encoder.encode($0) }
            let foundation = Result { () throws(EventDecodingError) in
                try encoder.encodeOrTrap(EventCodec.decodeWithFoundation(WireEnvelope<Payload>.self, from: bytes))
            }
            return Readings(fast: fast, foundation: foundation)
        }
        return open(type)
    }

    static func text(_ type: any DomainEvent.Type) throws -> String {
        String(decoding: try Repository.example(type), as: UTF8.self)
    }

    @Test("every sample envelope is read on the fast path, as Foundation reads it")
    func samples() throws {
        for (index, sample) in Samples.all.enumerated() {
            func check<Payload: DomainEvent>(_ event: Payload) throws {
                let bytes = try Samples.encode(event, index: index)
                let readings = Self.readings(Payload.self, bytes)
                #expect(readings.fastAgrees, "\(sample.label)\n\(readings)")
                #expect(readings.fast == bytes, "\(sample.label)")
            }
            try check(sample.event)
        }
    }

    @Test("escapes, spacing, -0, nulls and unknown fields of every kind are read on the fast path")
    func whatItReads() throws {
        let entry = try Self.text(TimesheetEntrySubmitted.self)
        let edits: [(String, String, String)] = [
            ("escapes", #""entryID": ""#, #""entryID": "\"q\" \\ \/ \n\t\b\f\r \u00e9\u0105 \ud83d\ude00 \u0000 é😀"#),
            ("spacing everywhere", #""sequence": "#, " \r\n\t\"sequence\" \t:\n "),
            ("minus zero", #""sequence": 1"#, #""sequence": -0"#),
            ("a null optional", #""data": {"#, #""data": {"reason": null, "#),
            (
                "unknown fields", #""data": {"#,
                #""data": {"x1": 1.5e-3, "x2": [true, false, null, {}, [], -12.0E+4], "x3": {"a": {"b": "ą"}}, "x4": "\ud800\udc00", "#
            ),
            ("unknown top-level field", #""specversion""#, #""extension": [1, 2], "specversion""#),
        ]
        for (label, anchor, replacement) in edits {
            #expect(entry.contains(anchor), "\(label)")
            let readings = Self.readings(TimesheetEntrySubmitted.self, Array(entry.replacingOccurrences(of: anchor, with: replacement).utf8))
            #expect(readings.fastAgrees, "\(label)\n\(readings)")
        }
    }

    @Test("what Foundation reads its own way is left to it, and `EventCodec` answers as Foundation does")
    func whatItLeaves() throws {
        let entry = try Self.text(TimesheetEntrySubmitted.self)
        func replacing(_ anchor: String, with replacement: String) -> (String) -> String {
            { text in
                #expect(text.contains(anchor), "\(anchor)")
                return text.replacingOccurrences(of: anchor, with: replacement)
            }
        }
        let edits: [(String, (String) -> String)] = [
            ("duplicate key (Foundation takes the first)", replacing(#""sequence": 1"#, with: #""sequence": 1, "sequence": 2"#)),
            ("integer with an exponent (Foundation reads 100)", replacing(#""sequence": 1"#, with: #""sequence": 1e2"#)),
            ("integer with a fraction", replacing(#""sequence": 1"#, with: #""sequence": 1.0"#)),
            ("integer beyond Int", replacing(#""sequence": 1"#, with: #""sequence": 99999999999999999999"#)),
            ("a non-ASCII key (the Kelvin sign is canonically K)", replacing(#""data": {"#, with: "\"data\": {\"\u{212A}\": 1, ")),
            ("an escaped key", replacing(#""sequence""#, with: #""seq\u0075ence""#)),
            ("an unpaired surrogate", replacing(#""entryID": ""#, with: #""entryID": "\ud800"#)),
            ("a raw tab in a string", replacing(#""entryID": ""#, with: "\"entryID\": \"\t")),
            ("a raw control character in an unknown field", replacing(#""data": {"#, with: "\"data\": {\"x\": \"\u{1}\", ")),
            (
                "nesting 100 deep",
                replacing(#""data": {"#, with: "\"data\": {\"x\": " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + ", ")
            ),
            ("a leading zero", replacing(#""sequence": 1"#, with: #""sequence": 01"#)),
            ("trailing garbage", { $0 + " x" }),
            ("not an object", { "[" + $0 + "]" }),
        ]
        for (label, edit) in edits {
            let bytes = Array(edit(entry).utf8)
            let readings = Self.readings(TimesheetEntrySubmitted.self, bytes)
            #expect(readings.fast == nil, "\(label)\n\(readings)")
            let answer = Result { () throws(EventDecodingError) in
                try EventCodec.decode(TimesheetEntrySubmitted.self, from: bytes, validating: false).data
            }
            let foundation = Result { () throws(EventDecodingError) in
                try EventCodec.decodeWithFoundation(WireEnvelope<TimesheetEntrySubmitted>.self, from: bytes).data
            }
            #expect(answer == foundation, "\(label)")
        }
        // A byte-order mark and invalid UTF-8 in a field nobody reads: Foundation accepts both.
        for (label, bytes) in [
            ("byte-order mark", [0xEF, 0xBB, 0xBF] + Array(entry.utf8)),
            (
                "invalid UTF-8",
                Array(entry.replacingOccurrences(of: #""data": {"#, with: #""data": {"x": "*", "#).utf8).map { $0 == UInt8(ascii: "*") ? 0xFF : $0 }
            ),
        ] {
            let readings = Self.readings(TimesheetEntrySubmitted.self, bytes)
            #expect(readings.fast == nil, "\(label)")
            #expect(try readings.foundation.get() == (try Samples.reencoded(entry)), "\(label)")
        }
    }

    @Test(
        "random mutations: whenever the fast path answers, Foundation answers the same",
        arguments: [TimesheetEntrySubmitted.self, ApplicationSubmitted.self, EditionPublished.self, HoursAccounted.self] as [any DomainEvent.Type])
    func mutations(_ type: any DomainEvent.Type) throws {
        var random = SplitMix64(seed: 0x5EED_2026 &+ UInt64(type.eventType.name.utf8.count))
        let original = try Repository.example(type)
        var fastAnswers = 0
        for round in 0..<3000 {
            let bytes = random.mutation(of: original)
            let readings = Self.readings(type, bytes)
            #expect(readings.consistent, "round \(round): \(String(decoding: bytes, as: UTF8.self))\n\(readings)")
            if readings.fast != nil { fastAnswers += 1 }
        }
        // Mutations inside strings and spacing leave valid events: the fast path must have read some.
        #expect(fastAnswers > 50)
    }
}

extension EventJSONEncoder {
    /// Every decoded envelope encodes: a failure here is a bug in the test's types.
    func encodeOrTrap(_ value: some Encodable) -> [UInt8] { try! encode(value) }
}

extension Samples {
    /// The event in `text`, decoded and encoded again.
    static func reencoded(_ text: String) throws -> [UInt8] {
        try EventJSONEncoder().encode(EventCodec.decodeWithFoundation(WireEnvelope<TimesheetEntrySubmitted>.self, from: Array(text.utf8)))
    }
}
