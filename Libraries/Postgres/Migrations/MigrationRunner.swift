import FoundationEssentials
import Logging

/// Applies `Migration`s, each once, each together with its row in
/// `schema_migrations(version, name, checksum, applied_at)`.
///
/// All of a run's migrations share one transaction, so a fresh database waits for one
/// commit's flush to disk, not one per migration (start-up is seconds on a busy disk
/// otherwise); each runs under a savepoint of its own. A transaction-scoped advisory lock
/// serialises runners, so two replicas starting at once neither race nor apply anything
/// twice: the second waits, then sees the rows. A migration that fails rolls back
/// completely (DDL is transactional in Postgres) and the ones before it are kept.
/// Statements that cannot run inside a transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE …
/// ADD VALUE before PG 12) are therefore not supported.
public struct MigrationRunner: Sendable {
    let pool: PostgresPool
    let logger: Logger

    /// Arbitrary but fixed: "asysta" in ASCII. Every runner on a database contends for it.
    static let lockKey: Int64 = 0x61_73_79_73_74_61

    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Applies what is missing; returns the versions applied by this call (ascending).
    /// Throws if an already-applied migration's SQL changed (checksum), naming it.
    @discardableResult
    public func apply(_ migrations: [Migration]) async throws -> [Int] {
        let sorted = try Self.validated(migrations)
        let (applied, failure) = try await pool.withTransaction { connection -> ([Migration], PostgresError?) in
            try await Self.lockAndPrepare(connection)
            let stored = try await Self.appliedChecksums(connection)
            // Every applied checksum first, so an edited old file stops us before any new work.
            for migration in sorted {
                if let checksum = stored[migration.version], checksum != Self.checksum(migration.sql) {
                    throw PostgresError(
                        kind: .migration,
                        message: "migration \(migration.label) was changed after it was applied (checksum mismatch)"
                    )
                }
            }
            var applied: [Migration] = []
            for migration in sorted where stored[migration.version] == nil {
                try await connection.execute("SAVEPOINT migration")
                do {
                    try await connection.executeScript(migration.sql)
                } catch var error as PostgresError where !error.isRetriable {
                    // Undo this one only; those before it commit. (A deadlock retries the whole run.)
                    try await connection.execute("ROLLBACK TO SAVEPOINT migration")
                    logger.error("migration failed", metadata: ["migration": "\(migration.label)", "error": "\(String(reflecting: error))"])
                    error.message = "migration \(migration.label) failed: \(error.message)"
                    return (applied, error)
                }
                try await connection.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(Self.checksum(migration.sql)))
                    """)
                applied.append(migration)
            }
            return (applied, nil)
        }
        for migration in applied { logger.info("applied migration", metadata: ["migration": "\(migration.label)"]) }
        if let failure { throw failure }
        return applied.map(\.version)
    }

    /// Reads the `NNNN_name.sql` files of a directory (see `parse`).
    public static func load(from directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        return try parse(names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) })
    }

    /// Migrations from `NNNN_name.sql` files (version from the number), sorted by
    /// version. Other files are ignored; two files with the same version are an error.
    public static func parse(_ files: [(file: String, sql: String)]) throws -> [Migration] {
        var migrations: [Migration] = []
        for (file, sql) in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]),
                stem[..<underscore].allSatisfy(\.isASCII)
            else {
                throw PostgresError(kind: .migration, message: "migration file \(file) is not named NNNN_name.sql")
            }
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        return try validated(migrations)
    }

    static func validated(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw PostgresError(kind: .migration, message: "migrations \(a.label) and \(b.label) share version \(a.version)")
        }
        if let bad = sorted.first(where: { $0.version <= 0 }) {
            throw PostgresError(kind: .migration, message: "migration \(bad.label) must have a positive version")
        }
        return sorted
    }

    private static func lockAndPrepare(_ connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private static func appliedChecksums(_ connection: PostgresConnection) async throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM schema_migrations") {
            let (version, checksum) = try row.decode((Int, String).self)
            result[version] = checksum
        }
        return result
    }

    /// SHA-256 of the SQL text, hex.
    static func checksum(_ sql: String) -> String {
        SHA256.hex(Array(sql.utf8))
    }
}
