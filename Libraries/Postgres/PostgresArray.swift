/// Arrays travel as Postgres array literals (`{"a","b c",NULL}`), so a whole column of values
/// fits in one bind parameter: `INSERT … SELECT * FROM unnest(\(ids)::uuid[], \(counts)::int[])`.
///
/// `[UInt8]` is the exception: it is `bytea` (hex), because Swift allows only one conditional
/// conformance of `Array` and byte buffers are far more common than smallint arrays.
/// Only one-dimensional arrays are supported.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public func encodePostgres() -> String? {
        // Test the element type, not the value: an empty `[String]` also casts to `[UInt8]`.
        // Then reinterpret rather than `as?`, which copies the bytes one by one.
        if Element.self == UInt8.self { return encodeByteaHex(unsafeBitCast(self, to: [UInt8].self)) }
        // Built as UTF-8 bytes: a batch insert encodes thousands of elements, and
        // appending scalar by scalar to a String was the bulk of a busy consumer's CPU.
        // The common element types skip the generic path's per-element witness calls.
        var literal = ArrayLiteral()
        if Element.self == String.self {
            for text in unsafeBitCast(self, to: [String].self) { literal.append(text) }
        } else if Element.self == String?.self {
            for text in unsafeBitCast(self, to: [String?].self) { literal.append(text) }
        } else {
            for index in indices { literal.append(self[index].encodePostgres()) }
        }
        return literal.finish()
    }

    /// bytea and bytea[] travel in binary: a batch's signed records or outbox payloads
    /// are megabytes, which as hex text doubled in size and cost the server a parse.
    public func encodePostgresBinary() -> [UInt8]? {
        if Element.self == UInt8.self { return unsafeBitCast(self, to: [UInt8].self) }
        guard Element.self == [UInt8].self else { return nil }
        return binaryByteaArray(unsafeBitCast(self, to: [[UInt8]].self))
    }

    public static var postgresTypeName: String? {
        if Element.self == UInt8.self { return "bytea" }
        return Element.postgresTypeName.map { $0 + "[]" }
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgres text: String) throws(PostgresDecodingError) {
        if Element.self == UInt8.self {
            self = unsafeBitCast(try decodeByteaHex(text), to: [Element].self)
            return
        }
        var result: [Element] = []
        for item in try parsePostgresArray(text) {
            if let item { result.append(try Element(postgres: item)) } else { result.append(try Element.decodePostgresNull()) }
        }
        self = result
    }
}

/// `array_recv`'s input: dimensions, element type (bytea, OID 17), then each element's length and bytes, big-endian.
private func binaryByteaArray(_ buffers: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(20 + buffers.reduce(0) { $0 + 4 + $1.count })
    func int32(_ value: Int) { withUnsafeBytes(of: Int32(truncatingIfNeeded: value).bigEndian) { out.append(contentsOf: $0) } }
    int32(buffers.isEmpty ? 0 : 1)  // dimensions
    int32(0)  // no NULLs
    int32(17)  // bytea
    if !buffers.isEmpty {
        int32(buffers.count)
        int32(1)  // lower bound
    }
    for buffer in buffers {
        int32(buffer.count)
        out.append(contentsOf: buffer)
    }
    return out
}

/// A one-dimensional array literal, built element by element.
private struct ArrayLiteral {
    private var out: [UInt8] = [UInt8(ascii: "{")]

    mutating func append(_ text: String?) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        guard let text else {
            out.append(contentsOf: "NULL".utf8)
            return
        }
        // Always quote: then "NULL", "", commas, braces and spaces need no special cases.
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    consuming func finish() -> String {
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// Splits a one-dimensional array literal into its elements (nil = NULL).
func parsePostgresArray(_ text: String) throws(PostgresDecodingError) -> [String?] {
    var scalars = Substring(text).unicodeScalars[...]
    // Optional dimension decoration, e.g. "[0:2]={…}".
    if scalars.first == "[", let eq = scalars.firstIndex(of: "=") { scalars = scalars[scalars.index(after: eq)...] }
    guard scalars.first == "{", scalars.last == "}" else {
        throw PostgresDecodingError([String].self, reason: "not an array literal")
    }
    scalars = scalars.dropFirst().dropLast()
    if scalars.isEmpty { return [] }
    var items: [String?] = []
    var iterator = scalars.makeIterator()
    var current = String.UnicodeScalarView()
    var quoted = false, wasQuoted = false, inQuotes = false
    func finish() {
        let value = String(current)
        items.append(!wasQuoted && value.uppercased() == "NULL" ? nil : value)
        current = String.UnicodeScalarView()
        wasQuoted = false
        quoted = false
    }
    while let ch = iterator.next() {
        if inQuotes {
            if ch == "\\" {
                if let next = iterator.next() { current.append(next) }
            } else if ch == "\"" {
                inQuotes = false
            } else {
                current.append(ch)
            }
        } else {
            switch ch {
            case "\"": inQuotes = true; quoted = true; wasQuoted = true
            case ",": finish()
            case "{": throw PostgresDecodingError([String].self, reason: "multi-dimensional arrays are not supported")
            case "\\": if let next = iterator.next() { current.append(next) }
            case " " where !quoted && current.isEmpty: continue
            default: current.append(ch)
            }
        }
    }
    finish()
    return items
}
