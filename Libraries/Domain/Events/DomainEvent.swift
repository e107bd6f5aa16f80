/// An event type of the suite: its name and version travel in the CloudEvents
/// `type` attribute ("asysta.intake.ApplicationSubmitted.v1").
public struct EventType: Hashable, Sendable, CustomStringConvertible {
    /// The bounded context the event belongs to: "intake", "timesheet"…
    public let context: String
    public let name: String
    public let version: Int
    public let topic: Topic
    /// The CloudEvents `type`. Stored, like `schema`: every event written and read needs it.
    public let description: String
    /// The CloudEvents `dataschema`: the JSON Schema in `contracts/events/`.
    public let schema: String

    public init(context: String, name: String, version: Int, topic: Topic) {
        self.context = context
        self.name = name
        self.version = version
        self.topic = topic
        description = "asysta.\(context).\(name).v\(version)"
        schema = "urn:asysta:contracts:events:\(name).v\(version)"
    }
}

/// The payload of an event. Everything published or consumed conforms, so the
/// codec, the outbox and the consumer loop handle all events one way.
public protocol DomainEvent: Codable, Sendable {
    static var eventType: EventType { get }
    /// The record key: the aggregate whose events must stay in order.
    var partitionKey: String { get }
    /// Checks what JSON types cannot say (an end after a start, a score in 1…5).
    func validate() throws(EventValidationError)
}

extension DomainEvent {
    public func validate() throws(EventValidationError) {}
}

/// A payload that decoded but breaks a rule of the contract.
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path of the offending field, e.g. "data.end".
    public var field: String
    public var message: String
    public init(field: String, _ message: String) {
        self.field = "data." + field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}
