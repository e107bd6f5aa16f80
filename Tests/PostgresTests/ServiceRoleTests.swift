import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// The database roles deployments create (deploy/postgres/service-database.sql,
/// also run by scripts/run): each service's role reaches only its own database.
/// Real roles on the test cluster, logging in as each service would.
@Suite struct ServiceRoleTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../deploy/postgres/service-database.sql"
    ).standardized

    /// Runs the deployment script as the superuser for one service.
    static func createServiceDatabase(_ service: String) async throws {
        let result = try await run(
            "psql",
            [
                "-h", "127.0.0.1", "-p", String(TestPostgres.shared.port), "-U", "postgres", "-d", "postgres", "-qAt",
                "-v", "ON_ERROR_STOP=1", "-v", "service=\(service)", "-v", "password=\(service)-secret", "-f", script.path,
            ])
        #expect(result.status == 0, "\(result.output)")
    }

    /// One connection as `role` to `database`, closed after `body`.
    static func asRole<T: Sendable>(_ role: String, on database: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        var configuration = TestPostgres.shared.configuration(database: database)
        configuration.user = role
        configuration.poolSize = 1
        return try await PostgresPool.with(configuration, logger: Logger(label: "service-role-tests")) { try await $0.withConnection(body) }
    }

    @Test func theOrderingRoleCannotConnectToOrReadTheTimesheetDatabase() async throws {
        _ = try await TestPostgres.shared.createDatabase(prefix: "roles")  // starts the cluster
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let ordering = "ordering_\(suffix)"
        let timesheet = "timesheet_\(suffix)"
        try await Self.createServiceDatabase(ordering)
        try await Self.createServiceDatabase(timesheet)
        try await Self.createServiceDatabase(timesheet)  // running it again changes nothing

        // Each service works in its own database.
        try await Self.asRole(timesheet, on: "asysta_\(timesheet)") { connection in
            try await connection.executeScript("CREATE TABLE entries (minutes int); INSERT INTO entries VALUES (120);")
        }
        try await Self.asRole(ordering, on: "asysta_\(ordering)") { connection in
            try await connection.executeScript("CREATE TABLE orders (id text);")
        }

        // The ordering role may not even connect to timesheet's database.
        let refused = await #expect(throws: PostgresError.self) {
            try await Self.asRole(ordering, on: "asysta_\(timesheet)") { try await $0.query("SELECT minutes FROM entries").count }
        }
        #expect(refused?.kind == .connection)
        #expect(
            refused.map { String(reflecting: $0).contains("permission denied for database") } == true,
            "\(refused.map { String(reflecting: $0) } ?? "")")

        // It owns its own database and no other.
        let owned = try await Self.asRole(ordering, on: "asysta_\(ordering)") { connection in
            try await connection.query("SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)")
                .map { try $0.decode(String.self, at: 0) }
        }
        #expect(owned == ["asysta_\(ordering)"])
    }

    @Test func aRoleLetInStillCannotReadOrCreateAnything() async throws {
        _ = try await TestPostgres.shared.createDatabase(prefix: "roles")
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let ordering = "ordering_\(suffix)"
        let timesheet = "timesheet_\(suffix)"
        try await Self.createServiceDatabase(ordering)
        try await Self.createServiceDatabase(timesheet)
        try await Self.asRole(timesheet, on: "asysta_\(timesheet)") { connection in
            try await connection.executeScript("CREATE TABLE entries (minutes int); INSERT INTO entries VALUES (120);")
        }
        // Even if someone granted CONNECT by mistake, the tables and the schema stay closed.
        try await Self.asRole("postgres", on: "asysta_\(timesheet)") { connection in
            try await connection.executeScript("GRANT CONNECT ON DATABASE \"asysta_\(timesheet)\" TO \"\(ordering)\"")
        }
        try await Self.asRole(ordering, on: "asysta_\(timesheet)") { connection in
            let read = await #expect(throws: PostgresError.self) { try await connection.query("SELECT minutes FROM entries").count }
            #expect(read?.sqlState == "42501")
            let create = await #expect(throws: PostgresError.self) { try await connection.executeScript("CREATE TABLE spy (x int)") }
            #expect(create?.sqlState == "42501")
        }
    }
}
