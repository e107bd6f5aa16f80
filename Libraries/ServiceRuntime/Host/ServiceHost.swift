import Domain
import Hummingbird
import Kafka
import Logging
import Messaging
import Postgres
import ServiceLifecycle

/// What each of the five services is made of, built once: the core (settings,
/// logs, metrics, health, tokens), its database (migrated, the shared outbox and
/// inbox first) and the broker (topics, producer, outbox and relay). A service
/// adds its routes and its event handlers and gets back an application whose
/// service group starts in dependency order (pool, producer, relay, consumers,
/// HTTP) and stops in reverse.
public struct ServiceHost: Sendable {
    public let core: ServiceCore
    public let database: ServiceDatabase
    public let messaging: ServiceMessaging
    /// Checks the bearer tokens of requests against the public keys of `auth.jwks`.
    public let verifier: TokenVerifier

    public init(name: String, settings: Settings, migrations: [Migration], topics: [Topic]) async throws {
        // Before anything connects: a service that trusts no key must not start.
        verifier = await TokenVerifier(trusting: try settings.trustedKeys())
        core = try await ServiceCore(name: name, settings: settings)
        database = try await ServiceDatabase(core: core, migrations: MessagingSchema.migrations + migrations)
        messaging = try await ServiceMessaging(core: core, topics: topics)
    }

    public var logger: Logger { core.logger }
    public var pool: PostgresPool { database.pool }
    public var outbox: Outbox { messaging.outbox }
    public var topicPrefix: String { messaging.topicPrefix }
    public var consumerGroup: String { messaging.consumerGroup }

    /// A router whose requests carry the caller of their bearer token; routes
    /// check roles with `context.require(...)`. Health, metrics and the OpenAPI
    /// document do not, so they stay open.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: UnstorableTextMiddleware())
        router.add(middleware: BearerAuthenticator(verifier: verifier))
        return router
    }

    /// A consumer loop for these handlers on this service's pool (see `ServiceMessaging.consumer`).
    public func consumer(_ handlers: EventHandlers, group: String? = nil, lanes: Int = 1) throws -> [any Service] {
        try messaging.consumer(handlers, pool: pool, group: group, lanes: lanes)
    }

    /// The application: the service's routes plus health, metrics, the parked
    /// outbox events, the dead letters and the consumers' lag, and the services in start order. Only a router of
    /// `ServiceRequestContext` is accepted, so every service's routes can check the caller.
    public func application(router: Router<ServiceRequestContext>, consumers: [any Service] = []) throws -> some ApplicationProtocol {
        OutboxRoutes<ServiceRequestContext>(pool: pool).addRoutes(to: router)
        DeadLetterRoutes<ServiceRequestContext>(pool: pool, outbox: outbox).addRoutes(to: router)
        ConsumerRoutes<ServiceRequestContext>(consumers: consumers.compactMap { $0 as? KafkaConsumer }, kafka: messaging.kafka)
            .addRoutes(to: router)
        return try core.application(
            router: router,
            readiness: [
                "postgres": { [database] in await database.ping() }, "kafka": { [producer = messaging.producer] in await producer.isConnected() },
            ],
            services: [pool] + messaging.services(pool: pool) + consumers
        )
    }
}
