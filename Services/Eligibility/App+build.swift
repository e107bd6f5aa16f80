import Domain
import FoundationEssentials
import Hummingbird
import Messaging
import Postgres
import ServiceRuntime

/// Wires the eligibility service and returns it as an application.
func buildApplication(
    settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }
) async throws -> some ApplicationProtocol {
    try await EligibilityService(settings: settings, today: today).application()
}

/// The eligibility service's parts, kept apart so tests reach its router and storage.
struct EligibilityService {
    /// Eligibility consumes applications and publishes editions and decisions.
    static let topics: [Topic] = [.applications, .editions, .decisions]

    let host: ServiceHost
    let store: DecisionStore
    let router: Router<ServiceRequestContext>
    let handlers: EventHandlers

    init(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws {
        // Settings first, so a bad edition file fails before anything connects.
        let editions = try EditionStore.load(directory: URL(fileURLWithPath: settings.string("editions.directory", default: "deploy/editions")))
        let autoConfirm = try settings.bool("eligibility.auto_confirm", default: false)

        host = try await ServiceHost(
            name: "eligibility", settings: settings, migrations: try MigrationRunner.parse(EmbeddedFiles.migrations), topics: Self.topics)
        let published = try await EditionStore(pool: host.pool, outbox: host.outbox).publish(editions)
        host.logger.info("editions loaded", metadata: ["editions": "\(editions.map(\.id.rawValue))", "published": "\(published.map(\.rawValue))"])
        store = DecisionStore(pool: host.pool, outbox: host.outbox)
        handlers = ApplicationHandlers.make(store: store, today: today, autoConfirm: autoConfirm)

        router = host.router()
        router.addRoutes(DecisionRoutes(store: store, today: today).collection)
        OpenAPIRoute(document: EmbeddedFiles.openapiYaml).addRoutes(to: router)
    }

    /// The application: the pool, producer and relay, the consumer loop, then HTTP.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router, consumers: try host.consumer(handlers))
    }
}
