import Domain
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

/// Wires the intake service: its storage, routes and event handlers on the shared host.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
    let host = try await ServiceHost(name: "intake", settings: settings, migrations: migrations, topics: [.applications])
    let router = Router()
    return try host.application(router: router)
}
