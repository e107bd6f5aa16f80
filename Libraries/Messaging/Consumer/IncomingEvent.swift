import Domain
import Kafka

/// A decoded event together with the record it came in, for handlers that
/// need the headers or the exact bytes (the NGO signature covers them).
public struct IncomingEvent<Payload: DomainEvent>: Sendable {
    public var envelope: EventEnvelope<Payload>
    public var header: EventHeader
    public var message: KafkaMessage

    public var data: Payload { envelope.data }
}

/// Thrown by a handler for an event that is well-formed but must not be applied:
/// it goes to the dead-letter topic with this reason and the consumer moves on.
public struct DeadLetter: Error, Sendable, CustomStringConvertible {
    /// A stable code for operators and senders ("unauthorised-source").
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
