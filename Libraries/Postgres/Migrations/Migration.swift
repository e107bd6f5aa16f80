import FoundationEssentials

/// One schema change. Applied at most once per database, in version order, and never edited
/// afterwards: the runner stores a checksum of `sql` and refuses to go on if it changes.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// "0003_add_index" — how errors and logs name a migration.
    public var label: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }
}
