import Domain
import Foundation
import Hummingbird
import Kafka
import Logging
import Messaging
import Postgres
import Prometheus
import ServiceLifecycle

/// What every service is made of, built once: settings, logging and metrics,
/// the database pool (migrated), the idempotent producer, the outbox and its
/// relay. A service adds its routes and its event handlers and gets back an
/// application whose service group starts in dependency order (pool, producer,
/// relay, consumers, HTTP) and stops in reverse.
public struct ServiceHost: Sendable {
    public let name: String
    public let settings: Settings
    public let logger: Logger
    public let pool: PostgresPool
    public let producer: KafkaProducer
    public let outbox: Outbox
    public let kafka: KafkaConfiguration
    public let registry: PrometheusCollectorRegistry
    /// Checks the bearer tokens of requests (`auth.jwt_secret`).
    public let verifier: TokenVerifier
    /// `kafka.topic_prefix`: put before every topic name this service uses.
    public let topicPrefix: String
    private let outboxHandoff: OutboxHandoff

    /// Connects, migrates (the shared outbox and inbox, then the service's own
    /// tables) and creates the topics the service produces and consumes when
    /// `kafka.create_topics` is on (with their dead-letter topics).
    public init(name: String, settings: Settings, migrations: [Migration], topics: [Topic]) async throws {
        // Before anything connects: a service without a usable token secret must not start.
        verifier = await TokenVerifier(secret: try settings.jwtSecret())
        let level = Logger.Level(rawValue: settings.string("log.level", default: "info")) ?? .info
        registry = Observability.bootstrap(level: level)
        var logger = Logger(label: "asysta.\(name)")
        logger.logLevel = level
        self.name = name
        self.settings = settings
        self.logger = logger

        pool = PostgresPool(configuration: try settings.postgres(defaultDatabase: name), logger: logger)
        let applied = try await MigrationRunner(pool: pool, logger: logger).apply(MessagingSchema.migrations + migrations)
        if !applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(applied)"]) }

        kafka = try settings.kafka(clientID: "asysta-\(name)")
        let topicPrefix = settings.string("kafka.topic_prefix", default: "")
        self.topicPrefix = topicPrefix
        if try settings.bool("kafka.create_topics", default: true) {
            let partitions = Int32(try settings.int("kafka.partitions", default: 6))
            let specs = topics.flatMap { [
                KafkaTopicSpec(name: topicPrefix + $0.name, partitions: partitions),
                KafkaTopicSpec(name: topicPrefix + $0.deadLetter, partitions: 1),
            ] }
            try await KafkaAdmin.createTopics(specs, configuration: kafka)
        }
        producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        outboxHandoff = OutboxHandoff()
        outbox = Outbox(source: "/asysta/\(name)", topicPrefix: topicPrefix, handoff: outboxHandoff)
    }

    /// The consumer group's name: every replica of a service shares it.
    public var consumerGroup: String { settings.string("kafka.consumer_group_prefix", default: "asysta") + "-" + name }

    /// A consumer loop for these handlers, in the service's group. With `lanes` above
    /// one (`kafka.consumer_lanes` overrides it), each batch is split by record key
    /// and the lanes' transactions run side by side; each key's records keep their order.
    public func consumer(_ handlers: EventHandlers, group: String? = nil, lanes: Int = 1) throws -> [any Service] {
        let group = group ?? consumerGroup
        let lanes = try settings.int("kafka.consumer_lanes", default: lanes)
        guard lanes >= 1 else { throw SettingsError.invalid("kafka.consumer_lanes", "an integer of at least 1") }
        let consumer = try KafkaConsumer(configuration: try consumerConfiguration(handlers, group: group), logger: logger)
        return [consumer, EventConsumer(name: group, consumer: consumer, pool: pool, outbox: outbox, handlers: handlers, lanes: lanes, logger: logger)]
    }

    /// The consumer settings every loop of this service uses: the handlers'
    /// topics under the prefix, and the group tuning from `kafka.*`.
    public func consumerConfiguration(_ handlers: EventHandlers, group: String) throws -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: group, topics: handlers.topics.map { topicPrefix + $0 })
        configuration.sessionTimeout = .milliseconds(try settings.int("kafka.session_timeout_ms", default: 6000))
        configuration.maxBatchSize = try settings.int("kafka.max_batch_size", default: 2000)
        return configuration
    }

    /// A router whose requests carry the caller of their bearer token; routes
    /// check roles with `context.require(...)`. Health, metrics and the OpenAPI
    /// document do not, so they stay open.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: UnstorableTextMiddleware())
        router.add(middleware: BearerAuthenticator(verifier: verifier))
        return router
    }

    /// The application: the service's routes plus health, metrics and the parked
    /// outbox events (a known path asked with another method answers `405`), and the
    /// services in start order. Only a router of `ServiceRequestContext` is
    /// accepted, so every service's routes can check the caller (`router()`).
    public func application(router: Router<ServiceRequestContext>, consumers: [any Service] = [], services extra: [any Service] = []) throws -> some ApplicationProtocol {
        HealthRoutes<ServiceRequestContext>(
            checks: ["postgres": { [pool] in await pool.ping() }, "kafka": { [producer] in await producer.isConnected() }],
            registry: registry
        ).addRoutes(to: router)
        OutboxRoutes<ServiceRequestContext>(pool: pool).addRoutes(to: router)
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        let relay = OutboxRelay(pool: pool, producer: producer, handoff: outboxHandoff, logger: logger)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(settings.string("http.host", default: "127.0.0.1"), port: try settings.int("http.port", default: 8080)),
                serverName: "asysta-\(name)"
            ),
            services: [pool, producer, relay] + consumers + extra,
            logger: logger
        )
    }
}
