import Domain
import Hummingbird
import Messaging
import ServiceRuntime

/// The reporting service: consumes every event it reports on into its read
/// models and serves the ministry exports. It publishes nothing.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    let host = try await ServiceHost(name: "reporting", settings: settings, migrations: try ReportingSchema.migrations(), topics: ReadModelHandlers.topics)
    let repository = ReportRepository(pool: host.pool)
    let handlers = ReadModelHandlers.make(writer: ReadModelWriter())
    let rebuilder = Rebuilder(host: host, handlers: handlers)

    let router = host.router()
    ReportRoutes(source: repository).addRoutes(to: router.group("editions"))
    AdminRoutes(rebuilder: rebuilder).addRoutes(to: router.group("admin"))
    OpenAPIRoute().addRoutes(to: router)
    return try host.application(router: router, consumers: try host.consumer(handlers))
}
