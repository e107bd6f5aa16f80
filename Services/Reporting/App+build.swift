import Domain
import Foundation
import Hummingbird
import Messaging
import ServiceRuntime

/// The reporting service: consumes every event it reports on into its read
/// models and serves the ministry exports. It publishes nothing.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await ReportingService(settings: settings).application()
}

/// The parts of the service, kept apart so tests can reach the router, the pool
/// and the rebuilder.
struct ReportingService {
    let host: ServiceHost
    let handlers: EventHandlers
    let repository: ReportRepository
    let rebuilder: Rebuilder
    let router: Router<ServiceRequestContext>

    init(settings: Settings) async throws {
        host = try await ServiceHost(name: "reporting", settings: settings, migrations: try ReportingSchema.migrations(), topics: ReadModelHandlers.topics)
        repository = ReportRepository(pool: host.pool)
        handlers = ReadModelHandlers.make(writer: ReadModelWriter())
        rebuilder = Rebuilder(host: host, handlers: handlers)

        let router = host.router()
        ReportRoutes(source: repository).addRoutes(to: router.group("editions"))
        AdminRoutes(rebuilder: rebuilder).addRoutes(to: router.group("admin"))
        try OpenAPIRoute<ServiceRequestContext>(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")).addRoutes(to: router)
        self.router = router
    }

    /// The application (pool, producer, relay, the consumer loop, HTTP); it adds
    /// the health and metrics routes to `router`.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router, consumers: try host.consumer(handlers))
    }
}
