import Domain
import EventJSON
import Kafka

/// An event encoded and addressed, ready to be written to the outbox.
public struct OutgoingEvent: Sendable, Hashable {
    public var id: String
    public var topic: String
    public var key: String
    public var type: String
    public var payload: [UInt8]
    public var headers: [String: String]

    public init(id: String, topic: String, key: String, type: String, payload: [UInt8], headers: [String: String] = [:]) {
        self.id = id
        self.topic = topic
        self.key = key
        self.type = type
        self.payload = payload
        self.headers = headers
    }

    public init<Payload>(_ envelope: EventEnvelope<Payload>) throws {
        self.init(
            id: envelope.id,
            topic: Payload.eventType.topic.name,
            key: envelope.data.partitionKey,
            type: Payload.eventType.description,
            payload: try EventCodec.encode(envelope)
        )
    }

    var kafkaMessage: KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: topic,
            key: Array(key.utf8),
            value: payload,
            headers: headers.sorted { $0.key < $1.key }.map { KafkaHeader(key: $0.key, value: Array($0.value.utf8)) }
        )
    }
}
