import Domain
import FoundationEssentials
import Hummingbird
import Postgres
import ServiceRuntime

/// Wires the intake service and returns it as an application.
func buildApplication(
    settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }
) async throws -> some ApplicationProtocol {
    try await IntakeService(settings: settings, today: today).application()
}

/// The intake service's parts, kept apart so tests reach its router and storage.
struct IntakeService {
    /// Intake publishes applications and consumes nothing.
    static let topics: [Topic] = [.applications]

    let host: ServiceHost
    let store: ApplicationStore
    let router: Router<ServiceRequestContext>

    init(settings: Settings, today: @escaping @Sendable () -> CalendarDate = { CalendarDate(Date()) }) async throws {
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

        host = try await ServiceHost(
            name: "intake", settings: settings, migrations: try MigrationRunner.parse(EmbeddedFiles.migrations), topics: Self.topics)
        store = ApplicationStore(pool: host.pool, outbox: host.outbox, cipher: cipher)

        router = host.router()
        router.addRoutes(ApplicationRoutes(store: store, validation: validation, today: today).collection)
        OpenAPIRoute(document: EmbeddedFiles.openapiYaml).addRoutes(to: router)
    }

    /// The application: the pool, producer and relay, then HTTP.
    func application() throws -> some ApplicationProtocol {
        try host.application(router: router)
    }
}
