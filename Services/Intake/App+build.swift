import Domain
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

typealias AppContext = ServiceRequestContext

/// The service's parts before they become an application: tests read the router's routes.
struct IntakeParts {
    var host: ServiceHost
    var router: Router<AppContext>
}

/// Wires the intake service: its storage, routes and event handlers on the shared host.
func buildApplication(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws -> some ApplicationProtocol {
    let parts = try await buildParts(settings: settings, today: today)
    return try parts.host.application(router: parts.router)
}

func buildParts(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws -> IntakeParts {
    // Settings first, so a missing key fails before anything connects.
    let cipher = try PersonalDataCipher(
        encryptionKeyBase64: try settings.require("intake.encryption_key"),
        hashKeyBase64: try settings.require("intake.hash_key")
    )
    let area = ProgrammeArea(
        city: settings.string("intake.programme_city", default: ProgrammeArea.wroclaw.city),
        postcodePrefixes: settings.string("intake.programme_postcode_prefixes") == nil
            ? ProgrammeArea.wroclaw.postcodePrefixes : settings.list("intake.programme_postcode_prefixes")
    )
    let validation = ApplicationValidation(area: area, documentLimit: try settings.int("intake.document_max_bytes", default: 5 * 1024 * 1024))

    let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
    let host = try await ServiceHost(name: "intake", settings: settings, migrations: migrations, topics: [.applications])
    let repository = PostgresApplicationRepository(pool: host.pool, outbox: host.outbox, cipher: cipher)

    let router = host.router()
    ApplicationRoutes(repository: repository, validation: validation, today: today).addRoutes(to: router)
    try OpenAPIRoute<AppContext>(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")).addRoutes(to: router)
    return IntakeParts(host: host, router: router)
}
