import Foundation

/// The tables the raw limit and the naive baseline write.
enum EntryTables {
    /// Timesheet's own `entry_versions`, read from its migration, so all three write the same rows.
    static var entryVersions: String {
        get throws {
            let migration = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Services/Timesheet/Migrations/0102_create_entries.sql").standardizedFileURL
            let statements = try String(contentsOf: migration, encoding: .utf8).components(separatedBy: ";")
            guard let table = statements.first(where: { $0.contains("CREATE TABLE entry_versions") }) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: migration.path])
            }
            return table
        }
    }

    /// The raw limit keeps the record without reading it: its key is where the record sits.
    static let rawRecords = """
        CREATE TABLE raw_records (
            record_partition integer NOT NULL,
            record_offset    bigint NOT NULL,
            participant_id   text NOT NULL,
            record           bytea NOT NULL,
            signature        text NOT NULL,
            received_at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (record_partition, record_offset)
        )
        """
}
