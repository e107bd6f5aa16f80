import FoundationEssentials

/// A Swift value that can be sent as a bind parameter, in Postgres *text* format.
///
/// Text format keeps the library small and robust (no per-type binary layouts); the server
/// parses the text exactly as it would a literal.
public protocol PostgresEncodable: Sendable {
    /// The value's text representation; `nil` means SQL NULL.
    func encodePostgres() -> String?
    /// The value in PostgreSQL's binary format, sent instead of the text when not nil.
    /// Byte buffers and arrays use it: as text, bytea doubles in size and the server
    /// parses hex, and array literals are built and parsed element by element.
    func encodePostgresBinary() -> [UInt8]?
    /// Postgres type the parameter is declared as (e.g. "int8", "uuid[]"), or nil to let the
    /// server infer it from context, as with an untyped literal. Strings stay untyped so
    /// `WHERE id = \(someString)` works against uuid, date, enum… columns.
    static var postgresTypeName: String? { get }
}

extension PostgresEncodable {
    public static var postgresTypeName: String? { nil }
    public func encodePostgresBinary() -> [UInt8]? { nil }
}

/// A Swift value that can be built from a column's text representation.
public protocol PostgresDecodable {
    init(postgres text: String) throws(PostgresDecodingError)
    /// What a SQL NULL decodes to. Throws by default; `Optional` returns `nil`.
    static func decodePostgresNull() throws(PostgresDecodingError) -> Self
}

extension PostgresDecodable {
    public static func decodePostgresNull() throws(PostgresDecodingError) -> Self {
        throw PostgresDecodingError(Self.self, reason: "unexpected NULL")
    }
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

// MARK: - Optional

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public func encodePostgres() -> String? { self?.encodePostgres() }
    public func encodePostgresBinary() -> [UInt8]? { self?.encodePostgresBinary() }
    public static var postgresTypeName: String? { Wrapped.postgresTypeName }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgres text: String) throws(PostgresDecodingError) {
        self = .some(try Wrapped(postgres: text))
    }
    public static func decodePostgresNull() throws(PostgresDecodingError) -> Self { nil }
}

// MARK: - Strings

extension String: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { self }
    public init(postgres text: String) throws(PostgresDecodingError) { self = text }
}

extension Substring: PostgresEncodable {
    public func encodePostgres() -> String? { String(self) }
}

// MARK: - Integers

extension Int: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { String(self) }
    public static var postgresTypeName: String? { "int8" }
    public init(postgres text: String) throws(PostgresDecodingError) { self = try decodeInteger(text) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { String(self) }
    public static var postgresTypeName: String? { "int8" }
    public init(postgres text: String) throws(PostgresDecodingError) { self = try decodeInteger(text) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { String(self) }
    public static var postgresTypeName: String? { "int4" }
    public init(postgres text: String) throws(PostgresDecodingError) { self = try decodeInteger(text) }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { String(self) }
    public static var postgresTypeName: String? { "int2" }
    public init(postgres text: String) throws(PostgresDecodingError) { self = try decodeInteger(text) }
}

/// Exists so `[UInt8]` can be bytea (see `Array`); alone it travels as a smallint.
extension UInt8: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { String(self) }
    public static var postgresTypeName: String? { "int2" }
    public init(postgres text: String) throws(PostgresDecodingError) { self = try decodeInteger(text) }
}

private func decodeInteger<I: FixedWidthInteger>(_ text: String) throws(PostgresDecodingError) -> I {
    guard let value = I(text) else { throw PostgresDecodingError(I.self) }
    return value
}

// MARK: - Bool, Double

extension Bool: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { self ? "t" : "f" }
    public static var postgresTypeName: String? { "bool" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        switch text {
        case "t", "true", "TRUE", "1", "y", "yes", "on": self = true
        case "f", "false", "FALSE", "0", "n", "no", "off": self = false
        default: throw PostgresDecodingError(Bool.self)
        }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description  // shortest representation that round-trips
    }
    public static var postgresTypeName: String? { "float8" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PostgresDecodingError(Double.self) }
            self = value
        }
    }
}

// MARK: - UUID

extension UUID: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { uuidString.lowercased() }
    public static var postgresTypeName: String? { "uuid" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingError(UUID.self) }
        self = value
    }
}

// MARK: - Bytes

extension Data: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { encodeByteaHex(self) }
    public func encodePostgresBinary() -> [UInt8]? { Array(self) }
    public static var postgresTypeName: String? { "bytea" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        self = Data(try decodeByteaHex(text))
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

func encodeByteaHex<C: Collection<UInt8>>(_ bytes: C) -> String {
    var out = [UInt8]()
    out.reserveCapacity(2 + bytes.count * 2)
    out.append(UInt8(ascii: "\\"))
    out.append(UInt8(ascii: "x"))
    for byte in bytes {
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes bytea output in hex format (the default since 9.0; `bytea_output = hex`).
/// The relay reads every outbox payload this way: one pass over contiguous bytes.
func decodeByteaHex(_ text: String) throws(PostgresDecodingError) -> [UInt8] {
    var text = text
    let decoded: [UInt8]? = text.withUTF8 { hex in
        guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else { return nil }
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: (hex.count - 2) / 2) { buffer, initialized in
            for index in 0..<buffer.count {
                let high = hexNibbles[Int(hex[2 + 2 * index])]
                let low = hexNibbles[Int(hex[3 + 2 * index])]
                guard high | low < 16 else {
                    valid = false
                    break
                }
                buffer[index] = high << 4 | low
                initialized = index + 1
            }
        }
        return valid ? bytes : nil
    }
    guard let decoded else { throw PostgresDecodingError([UInt8].self, reason: "expected bytea hex format") }
    return decoded
}

/// Each ASCII byte's value as a hex digit, 0xFF where it is none.
private let hexNibbles: [UInt8] = (0...255).map { byte in
    switch UInt8(byte) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
    default: 0xFF
    }
}
