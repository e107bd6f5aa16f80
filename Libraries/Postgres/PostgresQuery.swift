/// One bind parameter, already encoded. Never logged and never part of an error.
public struct PostgresBind: Sendable, Hashable {
    /// Text representation; nil is SQL NULL (unless `binary` is set).
    public var value: String?
    /// Declared type ("int8", "uuid[]"…) or nil to let the server infer it.
    public var typeName: String?
    /// PostgreSQL's binary format, sent instead of `value` when set.
    public var binary: [UInt8]?

    public init(value: String?, typeName: String?, binary: [UInt8]? = nil) {
        self.value = value
        self.typeName = typeName
        self.binary = binary
    }

    public init<T: PostgresEncodable>(_ value: T) {
        if let binary = value.encodePostgresBinary() {
            self.init(value: nil, typeName: T.postgresTypeName, binary: binary)
        } else {
            self.init(value: value.encodePostgres(), typeName: T.postgresTypeName)
        }
    }
}

/// A statement whose interpolations become bind parameters `$1, $2…` — never string
/// concatenation — so values cannot change the SQL's meaning:
///
///     "SELECT * FROM t WHERE id = \(id) AND name = \(name)"   // sql "… $1 … $2", binds [id, name]
///
/// `\(unsafeRaw: identifier)` splices text into the SQL itself. It is named to stand out in
/// review: use it only for identifiers that come from code, never for input.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var sql: String
    public var binds: [PostgresBind]

    /// Builds a query from SQL that already uses `$n` placeholders.
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// The SQL only: safe to log, since values live in `binds`.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// Optionals bind as NULL when nil (spelled out so the compiler doesn't warn about
        /// interpolating an optional).
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// For a heterogeneous value (`any PostgresEncodable`).
        public mutating func appendInterpolation(bind value: any PostgresEncodable) {
            appendInterpolation(value)
        }

        public mutating func appendInterpolation(unsafeRaw text: String) {
            sql += text
        }

        /// Splices a fragment written once (a shared subquery) with its own binds,
        /// renumbered to follow the ones before it.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            let offset = binds.count
            binds += fragment.binds
            guard offset > 0 else {
                sql += fragment.sql
                return
            }
            // Over bytes, not characters: this runs for every request that builds such a query.
            let bytes = Array(fragment.sql.utf8)
            var copied = 0
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "$") else {
                    index += 1
                    continue
                }
                var end = index + 1
                var number = 0
                while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) {
                    number = number * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                if end > index + 1 {
                    sql += String(decoding: bytes[copied..<index], as: UTF8.self) + "$\(number + offset)"
                    copied = end
                }
                index = end
            }
            sql += String(decoding: bytes[copied...], as: UTF8.self)
        }
    }
}
