import Domain
import FoundationEssentials

/// Encodes and decodes CloudEvents structured JSON. Decoding never traps:
/// anything a producer can send maps to an `EventDecodingError` naming the problem.
public enum EventCodec {
    /// Larger records are refused before parsing; no event of the suite comes near it.
    public static let maximumSize = 256 * 1024

    /// The suite's JSON as Foundation writes it: sorted keys, slashes unescaped,
    /// RFC 3339 dates. The fast writer must match it byte for byte (tested), and the
    /// HTTP APIs answer with it, so an event and an API answer read the same.
    public static let foundationEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    /// The envelope's attributes are fixed, so they are written straight around the
    /// payload, keys in sorted order: byte for byte what encoding `WireEnvelope` writes
    /// (tested), at half the cost for an answer to an NGO entry.
    public static func encode<Payload>(_ envelope: EventEnvelope<Payload>) throws -> [UInt8] {
        let data = try EventJSONEncoder().encode(envelope.data)
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 512)
        func attribute(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
            JSONText.appendString(value, to: &out)
        }
        attribute("causationid", envelope.causationID)
        attribute("correlationid", envelope.correlationID)
        out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        out.append(contentsOf: "\"data\":".utf8)
        out.append(contentsOf: data)
        attribute("datacontenttype", "application/json")
        attribute("dataschema", Payload.eventType.schema)
        attribute("id", envelope.id)
        attribute("source", envelope.source)
        attribute("specversion", "1.0")
        attribute("subject", envelope.subject)
        out.append(contentsOf: ",\"time\":\"".utf8)
        Timestamp.append(envelope.time, to: &out)
        out.append(UInt8(ascii: "\""))
        attribute("type", Payload.eventType.description)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads only the attributes, so a consumer can route before it decodes the payload.
    public static func header(of bytes: some Collection<UInt8>) throws(EventDecodingError) -> EventHeader {
        let wire: WireHeader = try decode(WireHeader.self, from: bytes)
        return EventHeader(
            id: wire.id, source: wire.source, type: wire.type, subject: wire.subject, time: wire.time, correlationID: wire.correlationid,
            causationID: wire.causationid)
    }

    /// Decodes an envelope whose `type` must be `Payload`'s, then validates the payload.
    /// `validating: false` leaves `validate()` to a consumer that answers a readable
    /// but invalid event itself (timesheet tells the NGO `invalid-entry`).
    /// One pass over the bytes: the attributes are checked as `header(of:)` checks
    /// them, in the same order, so the errors are the same.
    public static func decode<Payload: DomainEvent>(
        _: Payload.Type, from bytes: some Collection<UInt8>, validating: Bool = true
    ) throws(EventDecodingError) -> EventEnvelope<Payload> {
        let wire: WireEnvelope<Payload> = try decode(WireEnvelope<Payload>.self, from: bytes)
        if validating {
            do {
                try wire.data.validate()
            } catch {
                throw EventDecodingError(.invalidValue, error.description, field: error.field)
            }
        }
        let header = wire.header
        return EventEnvelope(
            id: header.id, source: header.source, subject: header.subject, time: header.time, correlationID: header.correlationid,
            causationID: header.causationid, data: wire.data)
    }

    /// The values of `"type"` keys in the record, at any depth, last first: a guess at
    /// the envelope's type that lets a consumer decode once instead of routing first.
    /// Only a guess: `decode` checks the real attribute, and a consumer whose guess
    /// fails routes with `header(of:)`.
    public static func typeHints(in bytes: [UInt8]) -> [String] {
        let key = Array(#""type""#.utf8)
        var hints: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            func skipSpaces() {
                while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x0A || buffer[index] == 0x0D || buffer[index] == 0x09 {
                    index += 1
                }
            }
            while index + key.count < buffer.count {
                guard buffer[index] == key[0], buffer[index..<index + key.count].elementsEqual(key) else {
                    index += 1
                    continue
                }
                index += key.count
                skipSpaces()
                guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else { continue }
                index += 1
                skipSpaces()
                guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { continue }
                let start = index + 1
                guard let end = buffer[start...].firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }),
                    buffer[end] == UInt8(ascii: "\"")
                else { continue }
                hints.append(String(decoding: buffer[start..<end], as: UTF8.self))
                index = end + 1
            }
        }
        return hints.reversed()
    }

    // MARK: - JSON

    /// The suite's JSON as Foundation reads it: RFC 3339 dates with a zone. The
    /// slow path of events, and what a client of the HTTP APIs (the portal) reads with.
    public static let foundationDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 timestamp with a time zone, got '\(text.prefix(40))'")
            }
            return date
        }
        return decoder
    }()

    private static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(EventDecodingError) -> T {
        guard bytes.count <= maximumSize else {
            throw EventDecodingError(.tooLarge, "the event has \(bytes.count) bytes; at most \(maximumSize) are accepted")
        }
        if let value = EventJSONDecoder.decode(type, from: bytes) { return value }
        return try decodeWithFoundation(type, from: bytes)
    }

    /// The reference: what `EventJSONDecoder` leaves (errors above all) is decided here.
    static func decodeWithFoundation<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(EventDecodingError) -> T {
        do {
            return try foundationDecoder.decode(type, from: Data(bytes))
        } catch let error as EventDecodingError {
            throw error
        } catch let error as DecodingError {
            throw EventDecodingError(error)
        } catch {
            throw EventDecodingError(.malformedJSON, "the event is not valid JSON")
        }
    }
}
