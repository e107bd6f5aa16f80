import Foundation
import Testing

@testable import Domain
@testable import EventJSON

/// The event encoder must write exactly what Foundation's `JSONEncoder` writes
/// with the codec's settings, so NGOs' systems and signatures over stored bytes
/// see no difference.
@Suite struct EventJSONEncoderTests {
    static let foundation = EventCodec.foundationEncoder

    @Test("every sample event, in its envelope, byte for byte as Foundation writes it")
    func samples() throws {
        for (index, sample) in Samples.all.enumerated() {
            try expectSame(sample.event, index: index, sample.label)
        }
    }

    private func expectSame<Payload: DomainEvent>(_ event: Payload, index: Int, _ label: String) throws {
        var envelope = Samples.envelope(event, index: index)
        // Also without a subject, as an envelope read from an older producer may be.
        for subject in [envelope.subject, nil] {
            envelope.subject = subject
            let theirs = try Self.foundation.encode(WireEnvelope(envelope))
            #expect(String(decoding: try EventCodec.encode(envelope), as: UTF8.self) == String(decoding: theirs, as: UTF8.self), "\(label)")
        }
    }

    @Test("every character below 0x80, and some beyond, escaped as Foundation escapes it")
    func strings() throws {
        var text = ""
        for scalar in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(scalar)!) }
        text += "\u{2028}\u{FEFF}ąęść😀 / \\ \"quoted\""
        for value in [text, "", "plain", "\u{0}"] {
            #expect(try EventJSONEncoder().encode([value, value]) == Array(try Self.foundation.encode([value, value])))
        }
    }

    @Test("keys sorted by their bytes, nested and empty containers, optionals, integers at their limits")
    func shapes() throws {
        let value = Shapes(
            b: 1, a: ["z": [1, 2], "ä": [], "A": [Int.min, Int.max]],
            nested: [Shapes.Inner(flag: true, note: nil), Shapes.Inner(flag: false, note: "x")],
            empty: [:], small: [Int8.min, Int8.max], big: [UInt64.max], day: Date(timeIntervalSince1970: 1_700_000_000.25), nothing: Shapes.Nothing())
        #expect(
            String(decoding: try EventJSONEncoder().encode(value), as: UTF8.self)
                == String(decoding: try Self.foundation.encode(value), as: UTF8.self))
    }

    @Test("a floating-point number is refused with its path, not written in a form Foundation might not write")
    func floatingPoint() throws {
        struct Measured: Encodable { var level = 1.5 }
        #expect {
            try EventJSONEncoder().encode(["x": Measured()])
        } throws: { error in
            guard case let EncodingError.invalidValue(_, context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["x", "level"]
        }
    }
}

private struct Shapes: Encodable {
    struct Inner: Encodable {
        var flag: Bool
        var note: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(flag, forKey: .flag)
            try container.encodeNil(forKey: .note)
            if let note { try container.encode(note, forKey: .note) }
        }

        enum CodingKeys: CodingKey { case flag, note }
    }

    /// Writes nothing at all: Foundation makes it `{}`.
    struct Nothing: Encodable {
        func encode(to _: any Encoder) throws {}
    }

    var b: Int
    var a: [String: [Int]]
    var nested: [Inner]
    var empty: [String: String]
    var small: [Int8]
    var big: [UInt64]
    var day: Date
    var nothing: Nothing
}
