import Domain
import FoundationEssentials
import Messaging
import Postgres

/// Editions are data: one JSON file per edition (`EditionRules`) in a directory,
/// upserted at startup. A new or changed edition is announced with `EditionPublished`.
struct EditionStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    struct FileError: Error, CustomStringConvertible {
        var file: String
        var problem: String
        var description: String { "edition file \(file): \(problem)" }
    }

    /// Every `*.json` in the directory, sorted by name; a file that is not valid `EditionRules`,
    /// or whose figures cannot be right (`EditionRules.problems`, each named), stops startup.
    static func load(directory: URL) throws -> [EditionRules] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let rules: EditionRules
            do {
                rules = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
            } catch let error as DecodingError {
                throw FileError(file: file, problem: "\(error)")
            }
            let problems = rules.problems
            guard problems.isEmpty else {
                throw FileError(file: file, problem: problems.map(\.description).joined(separator: "; "))
            }
            return rules
        }
    }

    /// Upserts the editions keyed by id with a hash of their canonical JSON, in one
    /// transaction; returns the ids that were new or changed (and were announced).
    @discardableResult
    func publish(_ editions: [EditionRules]) async throws -> [EditionID] {
        guard !editions.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let documents = try editions.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO editions (id, rules, content_hash)
                SELECT e.id, e.rules::jsonb, encode(sha256(convert_to(e.rules, 'UTF8')), 'hex')
                FROM unnest(\(editions.map(\.id.rawValue))::text[], \(documents)::text[]) AS e(id, rules)
                ON CONFLICT (id) DO UPDATE SET rules = EXCLUDED.rules, content_hash = EXCLUDED.content_hash, loaded_at = now()
                WHERE editions.content_hash <> EXCLUDED.content_hash
                RETURNING id
                """)
            let changed = Set(try rows.map { try $0.decode(String.self, at: 0) })
            let announced = editions.filter { changed.contains($0.id.rawValue) }
            try await outbox.append(try announced.map { try outbox.envelope(EditionPublished.announcing($0)) }, on: connection)
            return announced.map(\.id)
        }
    }

    static func rules(_ id: EditionID, on connection: PostgresConnection) async throws -> EditionRules? {
        let rows = try await connection.query("SELECT rules::text FROM editions WHERE id = \(id.rawValue)")
        guard let row = rows.first else { return nil }
        return try StoredJSON.decode(EditionRules.self, try row.decode(String.self, at: 0))
    }
}
