import FoundationEssentials
import Postgres
import ServiceRuntime

/// Reporting's own migrations: `Migrations/NNNN_name.sql`, versions from 100.
/// The rebuild applies them to a fresh database as the start does to the live one.
enum ReportingSchema {
    static func migrations() throws -> [Migration] { try MigrationRunner.parse(EmbeddedFiles.migrations) }
}
