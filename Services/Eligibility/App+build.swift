import Domain
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceRuntime

typealias AppContext = ServiceRequestContext

/// The service's parts before they become an application: tests read the router's routes.
struct EligibilityParts {
    var host: ServiceHost
    var router: Router<AppContext>
    var handlers: EventHandlers
    var store: DecisionStore
}

/// Wires the eligibility service: editions, storage, routes and event handlers on the shared host.
func buildApplication(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws -> some ApplicationProtocol {
    let parts = try await buildParts(settings: settings, today: today)
    return try parts.host.application(router: parts.router, consumers: try parts.host.consumer(parts.handlers))
}

func buildParts(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws -> EligibilityParts {
    let editionsDirectory = URL(fileURLWithPath: settings.string("editions.directory", default: "deploy/editions"))
    let editions = try EditionStore.load(directory: editionsDirectory)
    let autoConfirm = try settings.bool("eligibility.auto_confirm", default: false)

    let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
    let host = try await ServiceHost(name: "eligibility", settings: settings, migrations: migrations, topics: [.applications, .editions, .decisions])
    let published = try await EditionStore(pool: host.pool, outbox: host.outbox).publish(editions)
    host.logger.info("editions loaded", metadata: ["editions": "\(editions.map(\.id.rawValue))", "published": "\(published.map(\.rawValue))"])

    let store = DecisionStore(pool: host.pool, outbox: host.outbox)
    var handlers = EventHandlers()
    ApplicationHandlers(store: store, today: today, autoConfirm: autoConfirm).register(in: &handlers)

    let router = host.router()
    DecisionRoutes(repository: store, today: today).addRoutes(to: router)
    try OpenAPIRoute<AppContext>(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")).addRoutes(to: router)
    return EligibilityParts(host: host, router: router, handlers: handlers, store: store)
}
