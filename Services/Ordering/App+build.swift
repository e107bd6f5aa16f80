import Domain
import FoundationEssentials
import Hummingbird
import Messaging
import Postgres
import ServiceRuntime

/// Wires the ordering service and returns it as an application.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await OrderingService(settings: settings).application()
}

/// The ordering service's parts, kept apart so tests reach its router and storage.
struct OrderingService {
    /// Ordering publishes on providers and orders and consumes the others.
    static let topics: [Topic] = [.providers, .orders, .editions, .decisions, .timesheetResults]

    let host: ServiceHost
    let store: OrderingStore
    let router: Router<ServiceRequestContext>
    let handlers: EventHandlers

    init(settings: Settings) async throws {
        let clock = try settings.programmeClock()
        host = try await ServiceHost(
            name: "ordering", settings: settings, migrations: try MigrationRunner.parse(EmbeddedFiles.migrations), topics: Self.topics)
        store = OrderingStore(pool: host.pool, outbox: host.outbox, clock: clock)
        handlers = OrderingHandlers.make(ledger: EventLedger(outbox: host.outbox))

        router = host.router()
        router.addRoutes(ProviderRoutes(store: store).collection)
        router.addRoutes(OrderRoutes(store: store).collection)
        router.addRoutes(ParticipantRoutes(store: store).collection)
        OpenAPIRoute(document: EmbeddedFiles.openapiYaml).addRoutes(to: router)
    }

    /// The application: the pool, producer and relay, the consumer loop, then HTTP.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router, consumers: try host.consumer(handlers))
    }
}
