import Domain
import Foundation
import Kafka
import Logging
import Postgres
import ServiceLifecycle
import TestSupport
import Testing

@testable import Messaging

/// A fresh database with the messaging tables and an `effects` table handlers
/// write to, a private topic, and the clients to drive them.
struct MessagingFixture {
    let pool: PostgresPool
    let topic: String
    let kafka: KafkaConfiguration
    let producer: KafkaProducer
    let logger = Logger(label: "messaging-tests")

    /// - Parameter messaging: the messaging schema's migrations to apply (a test of an upgrade starts from older ones).
    static func make(_ name: String, partitions: Int32 = 3, messaging: [Migration] = MessagingSchema.migrations) async throws -> MessagingFixture {
        let database = try await TestPostgres.shared.createDatabase(prefix: name)
        let pool = PostgresPool(configuration: database, logger: Logger(label: name))
        _ = try await MigrationRunner(pool: pool, logger: Logger(label: name)).apply(
            messaging + [
                Migration(
                    version: 100, name: "effects",
                    sql: "CREATE TABLE effects (participant_id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), position bigserial);")
            ])
        let topic = try await TestBroker.shared.createTopic(prefix: name, partitions: partitions)
        let kafka = TestBroker.shared.configuration(clientID: name)
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: topic + ".dlq", partitions: 1)], configuration: kafka)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: Logger(label: name))
        return MessagingFixture(pool: pool, topic: topic, kafka: kafka, producer: producer)
    }

    /// Runs `services` (the producer first) for the duration of `body`, then shuts them down gracefully.
    func running<T: Sendable>(_ services: [any Service] = [], _ body: () async throws -> T) async throws -> T {
        try await withRunning([producer] + services, logger: logger, body)
    }

    /// Runs a consumer loop in `group` until `done` holds (or `timeout` passes), then stops it gracefully.
    func consume(
        group: String, handlers: EventHandlers = MessagingFixture.recordingHandlers, lanes: Int = 1, timeout: Duration = .seconds(45),
        until done: @escaping @Sendable () async throws -> Bool
    ) async throws {
        let (consumer, loop) = try self.consumer(group: group, handlers: handlers, lanes: lanes)
        let services = ServiceGroup(services: [consumer, loop], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            let deadline = ContinuousClock.now + timeout
            while try await !done() {
                guard ContinuousClock.now < deadline else {
                    Issue.record("timed out waiting for the consumer")
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            await services.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A valid event of the suite, aimed at this fixture's topic.
    func event(_ participant: String, id: String = UUID().uuidString.lowercased()) throws -> OutgoingEvent {
        let envelope = EventEnvelope(
            id: id, source: "/tests",
            data: ApplicationWithdrawn(
                applicationID: .random(), participantID: ParticipantID(participant), editionID: "2022",
                withdrawnOn: CalendarDate(year: 2022, month: 6, day: 1)!
            ))
        var outgoing = try OutgoingEvent(envelope)
        outgoing.topic = topic
        return outgoing
    }

    /// Handlers whose effect is one row per applied event.
    static var recordingHandlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on(ApplicationWithdrawn.self) { event, connection in
            try await connection.execute("INSERT INTO effects (participant_id) VALUES (\(event.data.participantID.rawValue))")
        }
        return handlers
    }

    func consumer(
        group: String, handlers: EventHandlers = MessagingFixture.recordingHandlers, lanes: Int = 1
    ) throws -> (KafkaConsumer, EventConsumer) {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: group, topics: [topic])
        configuration.maxBatchSize = 50  // several batches, so lanes overlap
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let loop = EventConsumer(
            name: group, consumer: consumer, pool: pool, outbox: Outbox(source: "/tests"), handlers: handlers, lanes: lanes, logger: logger)
        return (consumer, loop)
    }

    func effects() async throws -> [String] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT participant_id FROM effects ORDER BY participant_id").map { try $0.decode(String.self, at: 0) }
        }
    }

    /// The ids of the events still to publish, oldest first: the relay deletes what it published.
    func unpublishedIDs() async throws -> [String] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT event_id FROM outbox ORDER BY position").map { try $0.decode(String.self, at: 0) }
        }
    }

    func unpublished() async throws -> Int { try await unpublishedIDs().count }

    /// Publishes the outbox as a service's relay would, until nothing is left to claim; needs `running`.
    func relay() async throws {
        let relay = OutboxRelay(pool: pool, producer: producer, handoff: OutboxHandoff(), logger: logger)
        while try await relay.publishBatch() > 0 {}
    }

    /// Reads the topic from the start with a throwaway group until `count` records arrived.
    func read(_ topic: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaMessage] {
        try await readTopic(topic, kafka: kafka, logger: logger, timeout: timeout) { $0.count >= count }
    }
}
