import Domain
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

/// Wires the ordering service: its storage, routes and event handlers on the shared host.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
    let host = try await ServiceHost(name: "ordering", settings: settings, migrations: migrations, topics: [.providers, .orders])
    let router = Router()
    return try host.application(router: router)
}
