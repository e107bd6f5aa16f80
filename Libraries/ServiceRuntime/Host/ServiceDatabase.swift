import Logging
import Messaging
import Postgres

/// An executable's own PostgreSQL database: the pool, migrated before anything
/// uses it (the messaging tables first when the executable has an outbox).
public struct ServiceDatabase: Sendable {
    public let pool: PostgresPool

    public init(core: ServiceCore, migrations: [Migration]) async throws {
        pool = PostgresPool(configuration: try core.settings.postgres(defaultDatabase: core.name), logger: core.logger)
        let applied = try await MigrationRunner(pool: pool, logger: core.logger).apply(migrations)
        if !applied.isEmpty { core.logger.info("migrations applied", metadata: ["versions": "\(applied)"]) }
    }

    /// For the readiness check.
    public func ping() async -> Bool { await pool.ping() }
}
