import Foundation

/// Encodes and decodes CloudEvents structured JSON. Decoding never traps:
/// anything a producer can send maps to an `EventDecodingError` naming the problem.
public enum EventCodec {
    /// Larger records are refused before parsing; no event of the suite comes near it.
    public static let maximumSize = 256 * 1024

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
        return EventHeader(id: wire.id, source: wire.source, type: wire.type, subject: wire.subject, time: wire.time, correlationID: wire.correlationid, causationID: wire.causationid)
    }

    /// Decodes an envelope whose `type` must be `Payload`'s, then validates the payload.
    /// `validating: false` leaves `validate()` to a consumer that answers a readable
    /// but invalid event itself (timesheet tells the NGO `invalid-entry`).
    /// One pass over the bytes: the attributes are checked as `header(of:)` checks
    /// them, in the same order, so the errors are the same.
    public static func decode<Payload: DomainEvent>(_: Payload.Type, from bytes: some Collection<UInt8>, validating: Bool = true) throws(EventDecodingError) -> EventEnvelope<Payload> {
        let wire: WireEnvelope<Payload> = try decode(WireEnvelope<Payload>.self, from: bytes)
        if validating {
            do {
                try wire.data.validate()
            } catch {
                throw EventDecodingError(.invalidValue, error.description, field: error.field)
            }
        }
        let header = wire.header
        return EventEnvelope(id: header.id, source: header.source, subject: header.subject, time: header.time, correlationID: header.correlationid, causationID: header.causationid, data: wire.data)
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
                while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x0A || buffer[index] == 0x0D || buffer[index] == 0x09 { index += 1 }
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
                      buffer[end] == UInt8(ascii: "\"") else { continue }
                hints.append(String(decoding: buffer[start..<end], as: UTF8.self))
                index = end + 1
            }
        }
        return hints.reversed()
    }

    // MARK: - JSON

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
        if let value = EventJSONDecoder.decode(type, from: bytes) { return value }
        return try decodeWithFoundation(type, from: bytes)
    }

    /// The reference: what `EventJSONDecoder` leaves (errors above all) is decided here.
    static func decodeWithFoundation<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(EventDecodingError) -> T {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as EventDecodingError {
            throw error
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
        var text: [UInt8] = []
        append(date, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes the text of `format` into a byte buffer: the event encoder's path.
    static func append(_ date: Date, to out: inout [UInt8]) {
        guard !appendFast(date, to: &out) else { return }
        let seconds = date.timeIntervalSinceReferenceDate
        out.append(contentsOf: (seconds.rounded(.down) == seconds ? whole : fractional).format(date).utf8)
    }

    public static func parse(_ text: String) -> Date? {
        // Its shape passes the check below, so it goes first: the check counts characters.
        if let wholeSeconds = WholeSeconds(text) { return wholeSeconds.date }
        // A timestamp without a zone is a local time nobody can place: refuse it.
        guard text.count >= 20, text.last == "Z" || text.dropLast(6).count >= 19 && (text.dropLast(5).last == "+" || text.dropLast(5).last == "-") else { return nil }
        return (try? fractional.parse(text)) ?? (try? whole.parse(text))
    }

    // Fast paths for the forms nearly every timestamp takes, years 1600–9999:
    // Foundation's format styles are general and slow, and every event carries
    // several timestamps. Anything else takes the format styles (which switch to
    // the Julian calendar before 1582).

    /// `YYYY-MM-DDTHH:MM:SS[.mmm]Z`. Milliseconds are truncated, counted from the
    /// reference date as `Date` stores them: that is how the format style gets them
    /// (checked against it on random instants).
    private static func appendFast(_ date: Date, to out: inout [UInt8]) -> Bool {
        let sinceReference = date.timeIntervalSinceReferenceDate
        let whole = sinceReference.rounded(.down)
        guard whole >= -12_654_403_200, whole < 252_423_993_600 else { return false }  // 1600-01-01 ..< 10000-01-01
        let total = Int(whole) + 978_307_200  // since 1970
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let second = total - days * 86_400
        let day = CalendarDate(julianDay: days + CalendarDate.unixEpochJulianDay)
        func digits(_ value: Int, _ width: Int, then separator: UInt8) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            out.append(separator)
        }
        digits(day.year, 4, then: UInt8(ascii: "-"))
        digits(day.month, 2, then: UInt8(ascii: "-"))
        digits(day.day, 2, then: UInt8(ascii: "T"))
        digits(second / 3600, 2, then: UInt8(ascii: ":"))
        digits(second / 60 % 60, 2, then: UInt8(ascii: ":"))
        if whole == sinceReference {
            digits(second % 60, 2, then: UInt8(ascii: "Z"))
        } else {
            digits(second % 60, 2, then: UInt8(ascii: "."))
            digits(Int((sinceReference - whole) * 1000), 3, then: UInt8(ascii: "Z"))
        }
        return true
    }

    /// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, years 1600–9999. A text of this
    /// shape names a real instant or none: 30 February is refused, not rolled over.
    private struct WholeSeconds {
        var date: Date?

        init?(_ text: String) {
            guard text.utf8.count == 20 || text.utf8.count == 25 else { return nil }
            var text = text
            guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
            self = parsed
        }

        private init(date: Date?) { self.date = date }

        private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> WholeSeconds? {
            func number(_ at: Int, _ width: Int) -> Int64? {
                var value: Int64 = 0
                for byte in b[at..<at + width] {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
                  let year = number(0, 4), year >= 1600, let month = number(5, 2), let day = number(8, 2),
                  let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
            var offset: Int64 = 0
            if b.count == 20 {
                guard b[19] == UInt8(ascii: "Z") else { return nil }
            } else {
                guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                      let offsetHours = number(20, 2), let offsetMinutes = number(23, 2) else { return nil }
                guard offsetHours < 24, offsetMinutes < 60 else { return WholeSeconds(date: nil) }
                offset = (offsetHours * 3600 + offsetMinutes * 60) * (b[19] == UInt8(ascii: "-") ? -1 : 1)
            }
            guard let day = CalendarDate(year: Int(year), month: Int(month), day: Int(day)), hour < 24, minute < 60, second < 60 else { return WholeSeconds(date: nil) }
            let days = Int64(day.julianDay - CalendarDate.unixEpochJulianDay)
            return WholeSeconds(date: Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset)))
        }
    }
}

// MARK: - Wire form

struct WireHeader: Decodable {
    var specversion: String
    var id: String
    var source: String
    var type: String
    var subject: String?
    var time: Date
    var correlationid: String?
    var causationid: String?

    init(specversion: String, id: String, source: String, type: String, subject: String?, time: Date, correlationid: String?, causationid: String?) {
        self.specversion = specversion
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.correlationid = correlationid
        self.causationid = causationid
    }

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
        // utf8.count bounds count: the characters are counted only for a long id.
        guard !id.isEmpty, id.utf8.count <= 128 || id.count <= 128 else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "the id must have 1 to 128 characters")
        }
        if let contentType = try container.decodeIfPresent(String.self, forKey: .datacontenttype), contentType != "application/json" {
            throw DecodingError.dataCorruptedError(forKey: .datacontenttype, in: container, debugDescription: "only application/json data is accepted")
        }
    }
}

enum WireKeys: String, CodingKey {
    case specversion, id, source, type, subject, time, datacontenttype, dataschema, correlationid, causationid, data
}

struct WireEnvelope<Payload: DomainEvent>: Codable {
    var header: WireHeader
    var data: Payload

    init(_ envelope: EventEnvelope<Payload>) {
        header = WireHeader(specversion: "1.0", id: envelope.id, source: envelope.source, type: Payload.eventType.description, subject: envelope.subject,
                            time: envelope.time, correlationid: envelope.correlationID, causationid: envelope.causationID)
        data = envelope.data
    }

    init(from decoder: any Decoder) throws {
        header = try WireHeader(from: decoder)
        guard header.type == Payload.eventType.description else {
            throw EventDecodingError(.typeMismatch, "expected type \(Payload.eventType), got \(header.type.prefix(120))")
        }
        let container = try decoder.container(keyedBy: WireKeys.self)
        // Optional, as in CloudEvents; when sent it must name the type's own schema.
        if let schema = try container.decodeIfPresent(String.self, forKey: .dataschema), schema != Payload.eventType.schema {
            throw DecodingError.dataCorruptedError(forKey: .dataschema, in: container,
                                                   debugDescription: "dataschema must be \(Payload.eventType.schema) for this type, or left out")
        }
        data = try container.decode(Payload.self, forKey: .data)
    }

    /// The envelope's form as `Codable` states it: `EventCodec.encode` writes the same
    /// bytes without going through it, and the encoder tests hold the two equal.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKeys.self)
        try container.encode("1.0", forKey: .specversion)
        try container.encode(header.id, forKey: .id)
        try container.encode(header.source, forKey: .source)
        try container.encode(Payload.eventType.description, forKey: .type)
        try container.encodeIfPresent(header.subject, forKey: .subject)
        try container.encode(header.time, forKey: .time)
        try container.encode("application/json", forKey: .datacontenttype)
        try container.encode(Payload.eventType.schema, forKey: .dataschema)
        try container.encodeIfPresent(header.correlationid, forKey: .correlationid)
        try container.encodeIfPresent(header.causationid, forKey: .causationid)
        try container.encode(data, forKey: .data)
    }
}
