import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let migrations = [
        Migration(
            version: 1, name: "create_applications",
            sql: """
                CREATE TABLE applications (id uuid PRIMARY KEY, name text NOT NULL);
                CREATE INDEX applications_name ON applications (name);
                """),
        Migration(version: 2, name: "seed", sql: "INSERT INTO applications VALUES ('00000000-0000-0000-0000-000000000001', 'first');"),
        Migration(version: 3, name: "add_status", sql: "ALTER TABLE applications ADD COLUMN status text NOT NULL DEFAULT 'new';"),
    ]

    static func count(_ pool: PostgresPool, _ sql: PostgresQuery) async throws -> Int {
        try await pool.withConnection { try await $0.query(sql).first!.decode(Int.self, at: 0) }
    }

    @Test("applied once; a second run applies none")
    func appliedOnce() async throws {
        try await withTestPool { pool in
            let runner = MigrationRunner(pool: pool, logger: Logger(label: "test"))
            #expect(try await runner.apply(Self.migrations) == [1, 2, 3])
            #expect(try await runner.apply(Self.migrations) == [])
            #expect(try await Self.count(pool, "SELECT count(*) FROM applications") == 1)
            let rows = try await pool.withConnection {
                try await $0.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            }
            #expect(try rows.map { try $0.decode(Int.self, at: 0) } == [1, 2, 3])
            #expect(try rows.first?.decode(String.self, column: "name") == "create_applications")
            #expect(try rows.first?.decode(String.self, column: "checksum").count == 64)
            // Later migrations can be added.
            let more = Self.migrations + [Migration(version: 4, name: "more", sql: "SELECT 1;")]
            #expect(try await runner.apply(more) == [4])
        }
    }

    @Test("two runners from two pools at once apply each migration exactly once")
    func concurrentRunners() async throws {
        let configuration = try await TestPostgres.shared.createDatabase(prefix: "migrate")
        let pools = (0..<2).map { _ in PostgresPool(configuration: configuration, logger: Logger(label: "test")) }
        let applied = try await concurrently(2) { i in
            try await MigrationRunner(pool: pools[i], logger: Logger(label: "test")).apply(Self.migrations)
        }
        #expect((applied[0] + applied[1]).sorted() == [1, 2, 3])
        #expect(try await Self.count(pools[0], "SELECT count(*) FROM applications") == 1)
        #expect(try await Self.count(pools[0], "SELECT count(*) FROM schema_migrations") == 3)
        for pool in pools { await pool.close() }
    }

    @Test("a changed checksum of an applied migration is an error naming it")
    func changedChecksum() async throws {
        try await withTestPool { pool in
            let runner = MigrationRunner(pool: pool, logger: Logger(label: "test"))
            try await runner.apply(Self.migrations)
            var edited = Self.migrations
            edited[0].sql += "\n-- tweak"
            let error = try await #require(throws: PostgresError.self) { try await runner.apply(edited) }
            #expect(error.kind == .migration)
            #expect(error.description.contains("0001_create_applications"))
        }
    }

    @Test("a failing migration leaves no partial state")
    func failingMigration() async throws {
        try await withTestPool { pool in
            let runner = MigrationRunner(pool: pool, logger: Logger(label: "test"))
            let broken =
                Self.migrations + [
                    Migration(
                        version: 4, name: "broken",
                        sql: """
                            CREATE TABLE half_done (id int);
                            INSERT INTO half_done VALUES (1);
                            SELECT 1 / 0;
                            """)
                ]
            let error = try await #require(throws: PostgresError.self) { try await runner.apply(broken) }
            #expect(error.sqlState == "22012")
            #expect(error.debugDescription.contains("0004_broken"))
            #expect(try await Self.count(pool, "SELECT count(*) FROM schema_migrations") == 3)
            #expect(try await Self.count(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'") == 0)
            // Fixing the file lets it through.
            var fixed = broken
            fixed[3].sql = "CREATE TABLE half_done (id int);"
            #expect(try await runner.apply(fixed) == [4])
        }
    }

    @Test("load reads NNNN_name.sql files in version order")
    func loadFromDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "SELECT 2;".write(to: dir.appendingPathComponent("0002_second_step.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: dir.appendingPathComponent("0001_create_applications.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let loaded = try MigrationRunner.load(from: dir)
        #expect(
            loaded == [
                Migration(version: 1, name: "create_applications", sql: "SELECT 1;"),
                Migration(version: 2, name: "second_step", sql: "SELECT 2;"),
            ])
        try "SELECT 3;".write(to: dir.appendingPathComponent("0002_duplicate.sql"), atomically: true, encoding: .utf8)
        #expect(throws: PostgresError.self) { try MigrationRunner.load(from: dir) }
    }
}
