/// A materialized result: every row is already in memory, so it can be passed around freely
/// and iterated after the connection went back to the pool.
public struct PostgresRows: RandomAccessCollection, Sendable {
    final class Storage: Sendable {
        let columns: [String]
        let columnIndex: [String: Int]
        /// Row-major: row r, column c is `values[r * columns.count + c]`; nil = NULL.
        let values: [String?]
        let rowCount: Int

        init(columns: [String], values: [String?], rowCount: Int) {
            self.columns = columns
            var index: [String: Int] = [:]
            for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
            self.columnIndex = index
            self.values = values
            self.rowCount = rowCount
        }
    }

    let storage: Storage

    init(storage: Storage) { self.storage = storage }

    public var columns: [String] { storage.columns }
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(storage: storage, row: position) }
}

/// One row of a `PostgresRows`. Values are decoded on demand from their text form.
public struct PostgresRow: Sendable {
    let storage: PostgresRows.Storage
    let row: Int

    public var columns: [String] { storage.columns }

    /// Raw text of a column (nil = NULL); mostly for debugging.
    public func text(at index: Int) -> String? {
        storage.values[row * storage.columns.count + index]
    }

    public func isNull(at index: Int) -> Bool { text(at: index) == nil }

    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws -> T {
        guard index >= 0, index < storage.columns.count else {
            throw PostgresError(kind: .decoding, message: "column index \(index) out of range (\(storage.columns.count) columns)")
        }
        do {
            guard let text = text(at: index) else { return try T.decodePostgresNull() }
            return try T(postgres: text)
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(index) \"\(storage.columns[index])\": \(error)")
        }
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type, column: String) throws -> T {
        guard let index = storage.columnIndex[column] else {
            throw PostgresError(kind: .decoding, message: "no column named \"\(column)\"")
        }
        return try decode(type, at: index)
    }

    /// Decodes the leading columns positionally: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var index = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws -> U {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}
