import Foundation

/// Encodes and decodes CloudEvents structured JSON. Decoding never traps:
/// anything a producer can send maps to an `EventDecodingError` naming the problem.
public enum EventCodec {
    /// Larger records are refused before parsing; no event of the suite comes near it.
    public static let maximumSize = 256 * 1024

    public static func encode<Payload>(_ envelope: EventEnvelope<Payload>) throws -> [UInt8] {
        try Array(encoder.encode(WireEnvelope(envelope)))
    }

    /// Reads only the attributes, so a consumer can route before it decodes the payload.
    public static func header(of bytes: some Collection<UInt8>) throws(EventDecodingError) -> EventHeader {
        let wire: WireHeader = try decode(WireHeader.self, from: bytes)
        return EventHeader(id: wire.id, source: wire.source, type: wire.type, subject: wire.subject, time: wire.time, correlationID: wire.correlationid, causationID: wire.causationid)
    }

    /// Decodes an envelope whose `type` must be `Payload`'s, then validates the payload.
    /// `validating: false` leaves `validate()` to a consumer that answers a readable
    /// but invalid event itself (timesheet tells the NGO `invalid-entry`).
    public static func decode<Payload: DomainEvent>(_: Payload.Type, from bytes: some Collection<UInt8>, validating: Bool = true) throws(EventDecodingError) -> EventEnvelope<Payload> {
        let header = try header(of: bytes)
        guard header.type == Payload.eventType.description else {
            throw EventDecodingError(.typeMismatch, "expected type \(Payload.eventType), got \(header.type.prefix(120))")
        }
        let wire: WireEnvelope<Payload> = try decode(WireEnvelope<Payload>.self, from: bytes)
        if validating {
            do {
                try wire.data.validate()
            } catch {
                throw EventDecodingError(.invalidValue, error.description, field: error.field)
            }
        }
        return EventEnvelope(id: wire.id, source: wire.source, subject: wire.subject, time: wire.time, correlationID: wire.correlationid, causationID: wire.causationid, data: wire.data)
    }

    // MARK: - JSON

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 timestamp with a time zone, got '\(text.prefix(40))'")
            }
            return date
        }
        return decoder
    }()

    private static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(EventDecodingError) -> T {
        guard bytes.count <= maximumSize else {
            throw EventDecodingError(.tooLarge, "the event has \(bytes.count) bytes; at most \(maximumSize) are accepted")
        }
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw EventDecodingError(error)
        } catch {
            throw EventDecodingError(.malformedJSON, "the event is not valid JSON")
        }
    }
}

/// RFC 3339 timestamps: any offset in, UTC out; fractional seconds only when present.
public enum Timestamp {
    private static let whole = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func format(_ date: Date) -> String {
        date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970 ? whole.format(date) : fractional.format(date)
    }

    public static func parse(_ text: String) -> Date? {
        // A timestamp without a zone is a local time nobody can place: refuse it.
        guard text.count >= 20, text.last == "Z" || text.dropLast(6).count >= 19 && (text.dropLast(5).last == "+" || text.dropLast(5).last == "-") else { return nil }
        return (try? fractional.parse(text)) ?? (try? whole.parse(text))
    }
}

// MARK: - Wire form

private struct WireHeader: Decodable {
    var specversion: String
    var id: String
    var source: String
    var type: String
    var subject: String?
    var time: Date
    var correlationid: String?
    var causationid: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKeys.self)
        specversion = try container.decode(String.self, forKey: .specversion)
        guard specversion == "1.0" else {
            throw DecodingError.dataCorruptedError(forKey: .specversion, in: container, debugDescription: "only CloudEvents specversion 1.0 is supported")
        }
        id = try container.decode(String.self, forKey: .id)
        source = try container.decode(String.self, forKey: .source)
        type = try container.decode(String.self, forKey: .type)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        time = try container.decode(Date.self, forKey: .time)
        correlationid = try container.decodeIfPresent(String.self, forKey: .correlationid)
        causationid = try container.decodeIfPresent(String.self, forKey: .causationid)
        guard !id.isEmpty, id.count <= 128 else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "the id must have 1 to 128 characters")
        }
        if let contentType = try container.decodeIfPresent(String.self, forKey: .datacontenttype), contentType != "application/json" {
            throw DecodingError.dataCorruptedError(forKey: .datacontenttype, in: container, debugDescription: "only application/json data is accepted")
        }
    }
}

private enum WireKeys: String, CodingKey {
    case specversion, id, source, type, subject, time, datacontenttype, dataschema, correlationid, causationid, data
}

private struct WireEnvelope<Payload: DomainEvent>: Codable {
    var id: String
    var source: String
    var subject: String?
    var time: Date
    var correlationid: String?
    var causationid: String?
    var data: Payload

    init(_ envelope: EventEnvelope<Payload>) {
        id = envelope.id
        source = envelope.source
        subject = envelope.subject
        time = envelope.time
        correlationid = envelope.correlationID
        causationid = envelope.causationID
        data = envelope.data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKeys.self)
        id = try container.decode(String.self, forKey: .id)
        source = try container.decode(String.self, forKey: .source)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        time = try container.decode(Date.self, forKey: .time)
        correlationid = try container.decodeIfPresent(String.self, forKey: .correlationid)
        causationid = try container.decodeIfPresent(String.self, forKey: .causationid)
        data = try container.decode(Payload.self, forKey: .data)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKeys.self)
        try container.encode("1.0", forKey: .specversion)
        try container.encode(id, forKey: .id)
        try container.encode(source, forKey: .source)
        try container.encode(Payload.eventType.description, forKey: .type)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encode(time, forKey: .time)
        try container.encode("application/json", forKey: .datacontenttype)
        try container.encode(Payload.eventType.schema, forKey: .dataschema)
        try container.encodeIfPresent(correlationid, forKey: .correlationid)
        try container.encodeIfPresent(causationid, forKey: .causationid)
        try container.encode(data, forKey: .data)
    }
}
