import Foundation
import Logging
import Messaging
import Postgres
import TestSupport
@testable import Reporting

/// A fresh, migrated reporting database on the test cluster.
enum ReportingDatabase {
    static func withFresh<T: Sendable>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        let database = try await TestPostgres.shared.createDatabase(prefix: "reporting")
        let logger = Logger(label: "reporting-tests")
        let pool = PostgresPool(configuration: PostgresConfiguration(host: database.host, port: database.port, user: database.user,
                                                                     password: nil, database: database.database), logger: logger)
        _ = try await MigrationRunner(pool: pool, logger: logger).apply(MessagingSchema.migrations + ReportingSchema.migrations())
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}
