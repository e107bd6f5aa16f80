/// The one error type the library throws.
///
/// `description` is deliberately generic (kind + SQLSTATE) so it is safe to return to
/// callers or put in metrics labels; the server's own message can quote row values
/// (e.g. "Key (email)=(…) already exists"), so it only appears in `debugDescription`,
/// which is meant for logs. Bind values are never stored here at all.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection broke (server restart, network).
        case connection
        /// The server rejected a statement.
        case query
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The pool was closed.
        case pool
        /// A migration could not be applied (bad file, changed checksum…).
        case migration
    }

    public var kind: Kind
    /// Five-character SQLSTATE from the server ("23505", "40001"…), nil for client-side errors.
    public var sqlState: String?
    /// Primary message (server's or ours). May contain data: logs only.
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// Worth re-running the whole transaction: serialization failure, deadlock, or a connection
    /// that died underneath us (class 08, admin shutdown 57P01…). Note that a connection lost
    /// during COMMIT leaves the outcome unknown; retrying assumes the work is idempotent.
    public var isRetriable: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState == "40001" || sqlState == "40P01" || sqlState.hasPrefix("08")
            || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }

    public var description: String {
        switch kind {
        case .connection: "database connection error" + (sqlState.map { " \($0)" } ?? "")
        case .query: "database error" + (sqlState.map { " \($0)" } ?? "")
        case .decoding: "database decoding error: \(message)"  // our own text: column and type, never the value
        case .pool: "database pool closed"
        case .migration: "database migration error: \(message)"  // names the migration, no data
        }
    }

    public var debugDescription: String {
        var parts = ["PostgresError(\(kind)", sqlState.map { "sqlState: \($0)" }, "message: \(message)"]
        parts.append(detail.map { "detail: \($0)" })
        parts.append(hint.map { "hint: \($0)" })
        parts.append(table.map { "table: \($0)" })
        parts.append(column.map { "column: \($0)" })
        parts.append(constraint.map { "constraint: \($0)" })
        return parts.compactMap { $0 }.joined(separator: ", ") + ")"
    }
}

/// Thrown by `PostgresDecodable` initialisers. Holds the target type and a reason, never the
/// text being decoded (it may be personal data).
public struct PostgresDecodingError: Error, Sendable, CustomStringConvertible {
    public var typeName: String
    public var reason: String

    public init(_ type: Any.Type, reason: String = "invalid text representation") {
        self.typeName = String(describing: type)
        self.reason = reason
    }

    public var description: String { "cannot decode \(typeName): \(reason)" }
}
