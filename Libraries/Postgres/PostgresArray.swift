import FoundationEssentials
import Glibc

/// A whole column of values fits in one bind parameter:
/// `INSERT … SELECT * FROM unnest(\(ids)::uuid[], \(counts)::int[])`. Arrays of strings,
/// integers, booleans, dates and byte buffers travel in binary; others as array
/// literals (`{"a","b c",NULL}`).
///
/// `[UInt8]` is the exception: it is `bytea`, because Swift allows only one conditional
/// conformance of `Array` and byte buffers are far more common than smallint arrays.
/// Only one-dimensional arrays are supported.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public func encodePostgres() -> String? {
        // Test the element type, not the value: an empty `[String]` also casts to `[UInt8]`.
        // Then reinterpret rather than `as?`, which copies the bytes one by one.
        if Element.self == UInt8.self { return encodeByteaHex(unsafeBitCast(self, to: [UInt8].self)) }
        var literal = ArrayLiteral()
        for index in indices { literal.append(self[index].encodePostgres()) }
        return literal.finish()
    }

    /// Byte buffers, and arrays of the common element types, travel in binary: a
    /// batch's columns run to megabytes, which as literals we built byte by byte
    /// and the server parsed again.
    public func encodePostgresBinary() -> [UInt8]? {
        if Element.self == UInt8.self { return unsafeBitCast(self, to: [UInt8].self) }
        guard let element = Element.self as? any BinaryArrayElement.Type else { return nil }
        return element.binaryArray(self)
    }

    public static var postgresTypeName: String? {
        if Element.self == UInt8.self { return "bytea" }
        // Declared, so the server reads the binary form (a text array still casts to uuid[], date[]…).
        if let element = Element.self as? any BinaryArrayElement.Type { return element.arrayElementTypeName + "[]" }
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

/// An element type whose arrays travel in PostgreSQL's binary format, as `array_recv` reads it.
protocol BinaryArrayElement: PostgresEncodable {
    /// Appends the element: its length, then its bytes (-1 and nothing for NULL).
    /// False when only the text format can carry it.
    func appendBinaryElement(to out: inout [UInt8]) -> Bool
}

extension BinaryArrayElement {
    /// The element type the array is declared with: the scalar's own, but for strings,
    /// which go untyped alone and as text in an array. The data must carry its OID.
    static var arrayElementTypeName: String { postgresTypeName ?? "text" }

    /// `array`'s elements must be of this type (the caller has checked).
    static func binaryArray<Element>(_ array: [Element]) -> [UInt8]? {
        let elements = unsafeBitCast(array, to: [Self].self)
        var out: [UInt8] = []
        out.reserveCapacity(20 + elements.count * 16)
        appendInt32(elements.isEmpty ? 0 : 1, to: &out)  // dimensions
        appendInt32(0, to: &out)  // flags: none (NULLs are told by their length)
        appendInt32(Int32(PostgresTypeOID.oid(for: arrayElementTypeName)), to: &out)
        if !elements.isEmpty {
            appendInt32(Int32(elements.count), to: &out)
            appendInt32(1, to: &out)  // lower bound
        }
        for element in elements {
            guard element.appendBinaryElement(to: &out) else { return nil }
        }
        return out
    }
}

private func appendInt32(_ value: Int32, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
}

private func appendInt64(_ value: Int64, to out: inout [UInt8]) {
    appendInt32(8, to: &out)
    withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
}

extension String: BinaryArrayElement {
    /// A NUL sends the array as text, which `run` refuses with its own error: PostgreSQL text cannot hold NUL.
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard bytes.isEmpty || memchr(bytes.baseAddress!, 0, bytes.count) == nil else { return false }
            appendInt32(Int32(bytes.count), to: &out)
            out.append(contentsOf: bytes)
            return true
        }
    }
}

extension Int: BinaryArrayElement {
    func appendBinaryElement(to out: inout [UInt8]) -> Bool { Int64(self).appendBinaryElement(to: &out) }
}

extension Int64: BinaryArrayElement {
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        appendInt64(self, to: &out)
        return true
    }
}

extension Bool: BinaryArrayElement {
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        appendInt32(1, to: &out)
        out.append(self ? 1 : 0)
        return true
    }
}

extension Date: BinaryArrayElement {
    /// Microseconds since 2000-01-01 UTC, rounded as the text form rounds them.
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        appendInt64(Int64((timeIntervalSince1970 * 1_000_000).rounded()) - 946_684_800_000_000, to: &out)
        return true
    }
}

extension Array: BinaryArrayElement where Element == UInt8 {
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        appendInt32(Int32(count), to: &out)
        out.append(contentsOf: self)
        return true
    }
}

extension Optional: BinaryArrayElement where Wrapped: BinaryArrayElement {
    func appendBinaryElement(to out: inout [UInt8]) -> Bool {
        guard let self else {
            appendInt32(-1, to: &out)
            return true
        }
        return self.appendBinaryElement(to: &out)
    }
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
    var quoted = false
    var wasQuoted = false
    var inQuotes = false
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
            case "\"":
                inQuotes = true
                quoted = true
                wasQuoted = true
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
