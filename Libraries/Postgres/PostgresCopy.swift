import CLibPQ
import FoundationEssentials

extension PostgresConnection {
    /// Bulk load with `COPY … FROM STDIN` (text format) — far faster than INSERTs for many rows.
    /// Values are escaped for the COPY text format (backslash, tab, newline, carriage return;
    /// nil becomes `\N`). Table and column names are quoted as identifiers; a table may be
    /// schema-qualified ("audit.events"). Returns the number of rows copied.
    public func copy(into table: String, columns: [String], rows: [[any PostgresEncodable]]) async throws -> Int {
        guard !columns.isEmpty else { throw PostgresError(kind: .query, message: "COPY needs at least one column") }
        if let bad = rows.firstIndex(where: { $0.count != columns.count }) {
            throw PostgresError(kind: .query, message: "COPY row \(bad) has \(rows[bad].count) values for \(columns.count) columns")
        }
        let target = table.split(separator: ".").map { quoteIdentifier(String($0)) }.joined(separator: ".")
        let sql = "COPY \(target) (\(columns.map(quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        return try await perform {
            try self.checkOpen()
            try self.sendPendingBegin()
            guard let start = PQexec(self.handle, sql) else { throw self.connectionError() }
            guard PQresultStatus(start) == PGRES_COPY_IN else {
                _ = try self.consume(start)  // throws the server's error
                throw PostgresError(kind: .query, message: "COPY did not start")
            }
            PQclear(start)

            var buffer = [UInt8]()
            buffer.reserveCapacity(Self.copyChunkSize + 4096)
            var failure: PostgresError?
            func flush() {
                guard failure == nil, !buffer.isEmpty else { return }
                let sent = buffer.withUnsafeBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(self.handle, $0.baseAddress, Int32($0.count)) }
                }
                if sent != 1 { failure = self.connectionError() }
                buffer.removeAll(keepingCapacity: true)
            }
            for row in rows {
                for (i, value) in row.enumerated() {
                    if i > 0 { buffer.append(UInt8(ascii: "\t")) }
                    appendCopyField(value.encodePostgres(), to: &buffer)
                }
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= Self.copyChunkSize { flush() }
                if failure != nil { break }
            }
            flush()
            if PQputCopyEnd(self.handle, nil) != 1, failure == nil { failure = self.connectionError() }
            // Collect the final result(s); an error (e.g. unique violation) shows up here.
            var copied = 0
            var serverError: (any Error)?
            while let result = PQgetResult(self.handle) {
                do { copied = try self.consume(result).affected } catch { serverError = serverError ?? error }
            }
            if let serverError { throw serverError }
            if let failure { throw failure }
            return copied
        }
    }

    private static let copyChunkSize = 256 * 1024
}

func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacing("\"", with: "\"\"") + "\""
}

/// COPY text format: `\N` is NULL; backslash, tab, newline and CR are backslash-escaped.
private func appendCopyField(_ text: String?, to buffer: inout [UInt8]) {
    guard let text else {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
        return
    }
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\\"):
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\t"):
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\n"):
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"):
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "r"))
        default: buffer.append(byte)
        }
    }
}
