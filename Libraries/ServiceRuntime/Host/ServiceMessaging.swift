import Domain
import Kafka
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// The broker side of a service: its topics (created at start when
/// `kafka.create_topics` is on, each with its dead-letter topic), the idempotent
/// producer, the outbox and its relay, and the consumer loops.
public struct ServiceMessaging: Sendable {
    public let kafka: KafkaConfiguration
    public let producer: KafkaProducer
    public let outbox: Outbox
    /// `kafka.topic_prefix`: put before every topic name this service uses.
    public let topicPrefix: String
    /// The consumer group's name: every replica of a service shares it.
    public let consumerGroup: String
    private let core: ServiceCore
    private let handoff: OutboxHandoff

    public init(core: ServiceCore, topics: [Topic]) async throws {
        let settings = core.settings
        self.core = core
        kafka = try settings.kafka(clientID: "asysta-\(core.name)")
        let topicPrefix = settings.string("kafka.topic_prefix", default: "")
        self.topicPrefix = topicPrefix
        consumerGroup = settings.string("kafka.consumer_group_prefix", default: "asysta") + "-" + core.name
        // The relay hands the producer a whole pass at once and waits for its acknowledgements:
        // lingering to fill a batch would only hold every pass back.
        var producerConfiguration = KafkaProducerConfiguration(kafka: kafka)
        producerConfiguration.linger = .zero
        producer = try KafkaProducer(configuration: producerConfiguration, logger: core.logger)
        if try settings.bool("kafka.create_topics", default: true) {
            let partitions = Int32(try settings.int("kafka.partitions", default: 6))
            let specs = topics.flatMap {
                [
                    KafkaTopicSpec(name: topicPrefix + $0.name, partitions: partitions),
                    KafkaTopicSpec(name: topicPrefix + $0.deadLetter, partitions: 1),
                ]
            }
            try await KafkaAdmin.createTopics(specs, using: producer)
        }
        handoff = OutboxHandoff()
        outbox = Outbox(source: "/asysta/\(core.name)", topicPrefix: topicPrefix, handoff: handoff)
    }

    /// The producer and the relay that publishes what the outbox holds, in start order.
    public func services(pool: PostgresPool) -> [any Service] {
        [producer, OutboxRelay(pool: pool, producer: producer, handoff: handoff, logger: core.logger)]
    }

    /// A consumer loop for these handlers, in the service's group. With `lanes` above
    /// one (`kafka.consumer_lanes` overrides it), each batch is split by record key
    /// and the lanes' transactions run side by side; each key's records keep their order.
    public func consumer(_ handlers: EventHandlers, pool: PostgresPool, group: String? = nil, lanes: Int = 1) throws -> [any Service] {
        let group = group ?? consumerGroup
        let lanes = try core.settings.int("kafka.consumer_lanes", default: lanes)
        guard lanes >= 1 else { throw SettingsError.invalid("kafka.consumer_lanes", "an integer of at least 1") }
        let consumer = try KafkaConsumer(configuration: try consumerConfiguration(handlers, group: group), logger: core.logger)
        return [
            consumer,
            EventConsumer(name: group, consumer: consumer, pool: pool, outbox: outbox, handlers: handlers, lanes: lanes, logger: core.logger),
        ]
    }

    /// The consumer settings every loop of this service uses: the handlers'
    /// topics under the prefix, and the group tuning from `kafka.*`.
    public func consumerConfiguration(_ handlers: EventHandlers, group: String) throws -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: group, topics: handlers.topics.map { topicPrefix + $0 })
        configuration.sessionTimeout = .milliseconds(try core.settings.int("kafka.session_timeout_ms", default: 6000))
        configuration.maxBatchSize = try core.settings.int("kafka.max_batch_size", default: 2000)
        return configuration
    }
}
