import Domain
import EventJSON
import Kafka
import Postgres

/// What a consumer does with each event type it cares about. Handlers run in
/// the transaction that also records the event in the inbox and writes the
/// outgoing events, so an event's whole effect commits once or not at all.
public struct EventHandlers: Sendable {
    public typealias Handler<Payload: DomainEvent> = @Sendable (IncomingEvent<Payload>, PostgresConnection) async throws -> Void
    public typealias BatchHandler<Payload: DomainEvent> = @Sendable ([IncomingEvent<Payload>], PostgresConnection) async throws -> Void

    struct Erased: Sendable {
        /// The whole record in one pass; the type attribute must be this handler's.
        var decode: @Sendable (KafkaMessage) throws(EventDecodingError) -> (event: any Sendable, header: EventHeader)
        var apply: @Sendable ([any Sendable], PostgresConnection) async throws -> Void
    }

    private(set) var handlers: [String: Erased] = [:]
    /// Answers the sender of a record that reused an applied id with other bytes, in the
    /// transaction that dead-letters it; the record may not even decode.
    private(set) var answerReusedID: (@Sendable (KafkaMessage, PostgresConnection) async throws -> Void)?

    public init() {}

    /// Handles each event of the type on its own.
    public mutating func on<Payload: DomainEvent>(_: Payload.Type, _ handle: @escaping Handler<Payload>) {
        onBatch(Payload.self) { events, connection in
            for event in events { try await handle(event, connection) }
        }
    }

    /// Who runs the payload's `validate()`.
    public enum Validation: Sendable {
        /// The loop: an event that fails it is dead-lettered like an unreadable one.
        case automatic
        /// The handler, which answers such an event itself; only unreadable records
        /// (not JSON, a wrong envelope, a field of the wrong type) are dead-lettered.
        case byHandler
    }

    /// Handles consecutive events of the type together, for set-based SQL on a backlog.
    public mutating func onBatch<Payload: DomainEvent>(
        _: Payload.Type, validation: Validation = .automatic, _ handle: @escaping BatchHandler<Payload>
    ) {
        handlers[Payload.eventType.description] = Erased(
            decode: { message throws(EventDecodingError) in
                let envelope = try EventCodec.decode(Payload.self, from: message.value, validating: validation == .automatic)
                let header = envelope.header
                return (IncomingEvent(envelope: envelope, header: header, message: message), header)
            },
            apply: { events, connection in
                try await handle(events.map { $0 as! IncomingEvent<Payload> }, connection)
            }
        )
    }

    /// Besides the dead letter, tells the sender about a reused id (on its own results topic, say).
    public mutating func onReusedID(_ answer: @escaping @Sendable (KafkaMessage, PostgresConnection) async throws -> Void) {
        answerReusedID = answer
    }

    /// The topics these handlers' events arrive on.
    public var topics: [String] {
        let byType = Dictionary(EventCatalogue.all.map { ($0.eventType.description, $0.eventType.topic.name) }, uniquingKeysWith: { a, _ in a })
        return Array(Set(handlers.keys.compactMap { byType[$0] })).sorted()
    }
}
