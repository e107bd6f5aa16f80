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
        return try await PostgresPool.with(database, logger: logger) { pool in
            _ = try await MigrationRunner(pool: pool, logger: logger).apply(MessagingSchema.migrations + ReportingSchema.migrations())
            return try await body(pool)
        }
    }
}
