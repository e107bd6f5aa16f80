import Domain
import Messaging
import Foundation
import Hummingbird
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// Wires the ordering service: its storage, routes and event handlers on the shared host.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await OrderingService(settings: settings).application()
}

/// The parts of the service, kept apart so tests can reach the router and the repository.
struct OrderingService {
    /// Ordering publishes on providers and orders and consumes the others; all are created at start.
    static let topics: [Topic] = [.providers, .orders, .editions, .decisions, .timesheetResults]

    let host: ServiceHost
    let repository: PostgresOrderingRepository
    let router: Router<ServiceRequestContext>

    init(settings: Settings) async throws {
        let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
        host = try await ServiceHost(name: "ordering", settings: settings, migrations: migrations, topics: Self.topics)
        repository = PostgresOrderingRepository(pool: host.pool, outbox: host.outbox)
        router = host.router()
        try Self.addRoutes(repository: repository, to: router)
    }

    static func addRoutes<Repository: OrderingRepository>(repository: Repository, to router: Router<ServiceRequestContext>) throws {
        router.addRoutes(ProviderRoutes(repository: repository).collection, atPath: "providers")
        router.addRoutes(OrderRoutes(repository: repository).collection, atPath: "orders")
        router.addRoutes(ParticipantRoutes(repository: repository).collection, atPath: "participants")
        try OpenAPIRoute<ServiceRequestContext>(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")).addRoutes(to: router)
    }

    var handlers: EventHandlers { orderingHandlers(ledger: EventLedger(outbox: host.outbox)) }

    /// The application; it adds the health and metrics routes to `router`.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router, consumers: host.consumer(handlers))
    }
}
