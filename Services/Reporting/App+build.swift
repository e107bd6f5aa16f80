import Domain
import FoundationEssentials
import Hummingbird
import Messaging
import ServiceRuntime

/// Wires the reporting service and returns it as an application.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await ReportingService(settings: settings).application()
}

/// The reporting service's parts, kept apart so tests reach its router, storage
/// and rebuilder. It consumes every event it reports on and publishes nothing.
struct ReportingService {
    static let topics: [Topic] = ReadModelHandlers.topics

    let host: ServiceHost
    let store: ReportStore
    let router: Router<ServiceRequestContext>
    let handlers: EventHandlers
    let rebuilder: Rebuilder

    init(settings: Settings) async throws {
        host = try await ServiceHost(name: "reporting", settings: settings, migrations: try ReportingSchema.migrations(), topics: Self.topics)
        store = ReportStore(pool: host.pool)
        handlers = ReadModelHandlers.make(writer: ReadModelWriter())
        rebuilder = Rebuilder(host: host, handlers: handlers)

        router = host.router()
        router.addRoutes(ReportRoutes(store: store).collection)
        router.addRoutes(AdminRoutes(rebuilder: rebuilder).collection)
        OpenAPIRoute(document: EmbeddedFiles.openapiYaml).addRoutes(to: router)
    }

    /// The application: the pool, producer and relay, the consumer loop, then HTTP.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router, consumers: try host.consumer(handlers))
    }
}
