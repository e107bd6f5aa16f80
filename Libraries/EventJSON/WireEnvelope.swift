import Domain
import FoundationEssentials

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
            throw DecodingError.dataCorruptedError(
                forKey: .specversion, in: container, debugDescription: "only CloudEvents specversion 1.0 is supported")
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
            throw DecodingError.dataCorruptedError(
                forKey: .datacontenttype, in: container, debugDescription: "only application/json data is accepted")
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
        header = WireHeader(
            specversion: "1.0", id: envelope.id, source: envelope.source, type: Payload.eventType.description, subject: envelope.subject,
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
            throw DecodingError.dataCorruptedError(
                forKey: .dataschema, in: container,
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
