import Foundation
import Postgres

/// Reporting's own migrations: `Migrations/NNNN_name.sql`, versions from 100.
enum ReportingSchema {
    static func migrations() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(kind: .migration, message: "the reporting service's Migrations resource is missing")
        }
        return try MigrationRunner.load(from: directory)
    }
}
