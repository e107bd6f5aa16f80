import FoundationEssentials

/// A typed identifier: a participant's id cannot be passed where an order's is expected.
/// Encodes as its bare string, so the JSON contract stays plain.
public struct Identifier<Entity>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    /// A fresh random id, lower-case like PostgreSQL prints UUIDs.
    public static func random() -> Self { Self(randomUUIDString()) }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(String.self)
        // utf8.count bounds count: the characters are counted only for a long id.
        guard !value.isEmpty, value.utf8.count <= 128 || value.count <= 128 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an id must have 1 to 128 characters"))
        }
        rawValue = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

public enum Participant {}
public enum Application {}
public enum Decision {}
public enum Grant {}
public enum Provider {}
public enum Assistant {}
public enum Order {}
public enum Rating {}
public enum Edition {}

public typealias ParticipantID = Identifier<Participant>
public typealias ApplicationID = Identifier<Application>
public typealias DecisionID = Identifier<Decision>
public typealias GrantID = Identifier<Grant>
public typealias ProviderID = Identifier<Provider>
public typealias AssistantID = Identifier<Assistant>
public typealias OrderID = Identifier<Order>
public typealias RatingID = Identifier<Rating>
/// An edition is named by its year label, e.g. "2022".
public typealias EditionID = Identifier<Edition>
