import Domain
import FoundationEssentials
import Glibc

/// Reads the JSON of well-formed events several times faster than Foundation's
/// `JSONDecoder` (every NGO entry is one), and never answers differently from it.
///
/// It succeeds only where Foundation's decoder, with `EventCodec`'s settings,
/// succeeds with the same value. Anything else gives nil, and `EventCodec` asks
/// Foundation, whose answer stands, value or error; so dead-letter codes,
/// messages and field paths stay Foundation's. That is why it gives up on what
/// it could read but would have to match Foundation on:
/// - every error, its own or one a type's `init(from:)` throws;
/// - keys that are duplicated (Foundation takes the first), non-ASCII (Swift compares
///   strings by canonical equivalence: `"\u212Aey"` is `"Key"`) or escaped;
/// - numbers with a fraction or an exponent read as integers (`1e2` is 100 to
///   Foundation), floating-point, `Data`, `URL` and `Decimal` values;
/// - a byte-order mark, invalid UTF-8 anywhere, raw control characters in strings,
///   unpaired surrogates in escapes, and nesting deeper than 64.
enum EventJSONDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) -> T? {
        if let decoded = bytes.withContiguousStorageIfAvailable({ decode(type, from: $0) }) { return decoded }
        return Array(bytes).withUnsafeBufferPointer { decode(type, from: $0) }
    }

    private static func decode<T: Decodable>(_: T.Type, from bytes: UnsafeBufferPointer<UInt8>) -> T? {
        var scanner = JSONScanner(bytes: bytes)
        guard (try? scanner.scanDocument()) != nil, scanner.nodes.first?.kind == .object else { return nil }
        let document = ScannedJSON(bytes: bytes, nodes: scanner.nodes)
        guard let value = try? document.decode(T.self, at: 0), !document.refused else { return nil }
        return value
    }
}

/// Why the fast path gave up; never shown to anyone, since Foundation then decides.
private struct GaveUp: Error {}

// MARK: - Scanning

/// One JSON value. Members of an object follow it as key, value, key, value...;
/// elements of an array follow it in order.
private struct JSONNode {
    enum Kind: UInt8 { case object, array, string, escapedString, number, `true`, `false`, null }

    var kind: Kind
    /// Strings (inside the quotes) and numbers: their bytes. Containers: how many
    /// members or elements (`start`) and the index of the node after the last one (`end`).
    var start: Int32
    var end: Int32
}

/// Checks the whole document against JSON's grammar (RFC 8259), as Foundation
/// does before it decodes anything, and lays it out as nodes.
private struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var nodes: [JSONNode] = []
    private var sawNonASCII = false

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(64)
    }

    mutating func scanDocument() throws(GaveUp) {
        try value(depth: 0)
        skipSpace()
        guard index == bytes.count else { throw GaveUp() }
        // Only strings may hold bytes above 0x7F; Foundation reads them as UTF-8.
        if sawNonASCII, String(validating: bytes, as: UTF8.self) == nil { throw GaveUp() }
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(GaveUp) {
        skipSpace()
        guard index < bytes.count, depth < 64 else { throw GaveUp() }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw GaveUp()
        }
    }

    private mutating func object(depth: Int) throws(GaveUp) {
        try container(.object, closedBy: UInt8(ascii: "}")) { scanner throws(GaveUp) in
            scanner.skipSpace()
            guard scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] == UInt8(ascii: "\"") else { throw GaveUp() }
            // Keys are matched byte for byte: only plain ASCII keys compare as Swift strings do.
            guard try scanner.string() == .string, scanner.nodes[scanner.nodes.count - 1].isASCII(in: scanner.bytes) else { throw GaveUp() }
            scanner.skipSpace()
            guard scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] == UInt8(ascii: ":") else { throw GaveUp() }
            scanner.index += 1
            try scanner.value(depth: depth + 1)
        }
    }

    private mutating func array(depth: Int) throws(GaveUp) {
        try container(.array, closedBy: UInt8(ascii: "]")) { scanner throws(GaveUp) in try scanner.value(depth: depth + 1) }
    }

    /// An object or array: `item` scans one member or element; they are separated by commas.
    private mutating func container(_ kind: JSONNode.Kind, closedBy closing: UInt8, item: (inout JSONScanner) throws(GaveUp) -> Void) throws(GaveUp) {
        let at = nodes.count
        nodes.append(JSONNode(kind: kind, start: 0, end: 0))
        index += 1
        skipSpace()
        var items: Int32 = 0
        if index < bytes.count, bytes[index] == closing {
            index += 1
        } else {
            while true {
                try item(&self)
                items += 1
                skipSpace()
                guard index < bytes.count else { throw GaveUp() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == closing else { throw GaveUp() }
                index += 1
                break
            }
        }
        nodes[at].start = items
        nodes[at].end = Int32(nodes.count)
    }

    private mutating func string() throws(GaveUp) -> JSONNode.Kind {
        index += 1
        let start = index
        var kind = JSONNode.Kind.string
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                nodes.append(JSONNode(kind: kind, start: Int32(start), end: Int32(index)))
                index += 1
                return kind
            }
            if byte < 0x20 { throw GaveUp() }
            if byte >= 0x80 { sawNonASCII = true }
            if byte == UInt8(ascii: "\\") {
                kind = .escapedString
                index += 1
                guard index < bytes.count else { throw GaveUp() }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    // Checked here, pairs included, so that unescaping cannot fail later.
                    let unit = try hexUnit(at: index + 1)
                    index += 4
                    if UTF16.isLeadSurrogate(unit) {
                        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u"),
                            UTF16.isTrailSurrogate(try hexUnit(at: index + 3))
                        else { throw GaveUp() }
                        index += 6
                    } else if UTF16.isTrailSurrogate(unit) {
                        throw GaveUp()
                    }
                default:
                    throw GaveUp()
                }
            }
            index += 1
        }
        throw GaveUp()
    }

    private func hexUnit(at position: Int) throws(GaveUp) -> UInt16 {
        guard position + 4 <= bytes.count else { throw GaveUp() }
        var unit: UInt16 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = hexDigit(byte) else { throw GaveUp() }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(GaveUp) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw GaveUp() }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw GaveUp() }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw GaveUp() }
            skipDigits()
        }
        nodes.append(JSONNode(kind: .number, start: Int32(start), end: Int32(index)))
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONNode.Kind) throws(GaveUp) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
            memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0
        else { throw GaveUp() }
        index += length
        nodes.append(JSONNode(kind: kind, start: 0, end: 0))
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension JSONNode {
    func isASCII(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes[Int(start)..<Int(end)].allSatisfy { $0 < 0x80 }
    }
}

// MARK: - Reading values

/// The scanned document the decoders read. One decoding runs on one thread.
private final class ScannedJSON {
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: [JSONNode]
    /// Set where giving up cannot throw (`allKeys`, `contains`): the result is discarded.
    var refused = false

    init(bytes: UnsafeBufferPointer<UInt8>, nodes: [JSONNode]) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// The node after `index` and everything inside it.
    func skip(_ index: Int) -> Int {
        let node = nodes[index]
        return node.kind == .object || node.kind == .array ? Int(node.end) : index + 1
    }

    func decode<T: Decodable>(_: T.Type, at index: Int) throws(GaveUp) -> T {
        // Foundation reads these types itself rather than through their `init(from:)`.
        if T.self == String.self { return unsafeBitCast(try string(at: index), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: index), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: index), to: T.self) }
        if T.self == Date.self {
            // `EventCodec`'s date strategy: an RFC 3339 timestamp with a zone.
            guard let date = Timestamp.parse(try string(at: index)) else { throw GaveUp() }
            return unsafeBitCast(date, to: T.self)
        }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == Double.self || T.self == Float.self {
            throw GaveUp()
        }
        do {
            return try T(from: NodeDecoder(document: self, index: index))
        } catch {
            throw GaveUp()
        }
    }

    func string(at index: Int) throws(GaveUp) -> String {
        let node = nodes[index]
        let text = UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
        switch node.kind {
        case .string: return String(decoding: text, as: UTF8.self)  // validated by the scan
        case .escapedString: return Self.unescape(text)
        default: throw GaveUp()
        }
    }

    func bool(at index: Int) throws(GaveUp) -> Bool {
        switch nodes[index].kind {
        case .true: true
        case .false: false
        default: throw GaveUp()
        }
    }

    /// Plain integers only; Foundation's reading of `1.0` or `1e2` is left to it.
    func integer<I: FixedWidthInteger>(_: I.Type, at index: Int) throws(GaveUp) -> I {
        let node = nodes[index]
        guard node.kind == .number else { throw GaveUp() }
        var position = Int(node.start)
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative {
            guard I.isSigned else { throw GaveUp() }
            position += 1
        }
        var value: I = 0
        while position < Int(node.end) {
            let byte = bytes[position]
            guard isDigit(byte) else { throw GaveUp() }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(I(byte - UInt8(ascii: "0")))
                : shifted.addingReportingOverflow(I(byte - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { throw GaveUp() }
            value = next
            position += 1
        }
        return value
    }

    /// The value of `key` in the object at `object`, nil when it is absent.
    func member(_ key: some CodingKey, of object: Int) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { name -> Int? in
            var found: Int?
            var index = object + 1
            for _ in 0..<nodes[object].start {
                let keyNode = nodes[index]
                if Int(keyNode.end - keyNode.start) == name.count,
                    name.isEmpty || memcmp(bytes.baseAddress! + Int(keyNode.start), name.baseAddress!, name.count) == 0
                {
                    // Foundation takes the first of duplicates; leave them to it.
                    if found != nil { refused = true }
                    found = index + 1
                }
                index = skip(index + 1)
            }
            return found
        }
    }

    func keys(of object: Int) -> [String] {
        var keys: [String] = []
        var index = object + 1
        for _ in 0..<nodes[object].start {
            keys.append((try? string(at: index)) ?? "")
            index = skip(index + 1)
        }
        if Set(keys).count != keys.count { refused = true }
        return keys
    }

    static func unescape(_ text: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        func unit(at position: Int) -> UInt16 {
            text[position..<position + 4].reduce(0) { $0 << 4 | UInt16(hexDigit($1)!) }
        }
        while index < text.count {
            let byte = text[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = text[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(unit(at: index))
                index += 4
                if UTF16.isLeadSurrogate(UInt16(scalar)) {  // the scan checked its pair follows
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (UInt32(unit(at: index + 2)) - 0xDC00)
                    index += 6
                }
                out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: out.append(escape)  // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - The Decoder protocols

/// A decoder of one node: two words, so `any Decoder` holds it without a box.
/// Coding paths stay empty: errors are never reported from here.
private struct NodeDecoder: Decoder, SingleValueDecodingContainer {
    let document: ScannedJSON
    let index: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document.nodes[index].kind == .object else { throw GaveUp() }
        return KeyedDecodingContainer(ObjectContainer(document: document, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document.nodes[index].kind == .array else { throw GaveUp() }
        return ArrayContainer(document: document, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { document.nodes[index].kind == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: index) }
    func decode(_: Bool.Type) throws -> Bool { try document.bool(at: index) }
    func decode(_: String.Type) throws -> String { try document.string(at: index) }
    func decode(_: Int.Type) throws -> Int { try document.integer(Int.self, at: index) }
    func decode(_: Int64.Type) throws -> Int64 { try document.integer(Int64.self, at: index) }
    func decode(_: Int32.Type) throws -> Int32 { try document.integer(Int32.self, at: index) }
    func decode(_: Int16.Type) throws -> Int16 { try document.integer(Int16.self, at: index) }
    func decode(_: Int8.Type) throws -> Int8 { try document.integer(Int8.self, at: index) }
    func decode(_: UInt.Type) throws -> UInt { try document.integer(UInt.self, at: index) }
    func decode(_: UInt64.Type) throws -> UInt64 { try document.integer(UInt64.self, at: index) }
    func decode(_: UInt32.Type) throws -> UInt32 { try document.integer(UInt32.self, at: index) }
    func decode(_: UInt16.Type) throws -> UInt16 { try document.integer(UInt16.self, at: index) }
    func decode(_: UInt8.Type) throws -> UInt8 { try document.integer(UInt8.self, at: index) }
    func decode(_: Double.Type) throws -> Double { throw GaveUp() }
    func decode(_: Float.Type) throws -> Float { throw GaveUp() }
}

private struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: ScannedJSON
    let object: Int

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { document.keys(of: object).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { document.member(key, of: object) != nil }

    private func value(_ key: Key) throws -> Int {
        guard let index = document.member(key, of: object) else { throw GaveUp() }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { document.nodes[try value(key)].kind == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try document.decode(type, at: try value(key)) }

    /// One lookup instead of the default's three (`contains`, `decodeNil`, `decode`).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(type, key) }

    private func present<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let index = document.member(key, of: object), document.nodes[index].kind != .null else { return nil }
        return try document.decode(type, at: index)
    }

    func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try document.bool(at: try value(key)) }
    func decode(_: String.Type, forKey key: Key) throws -> String { try document.string(at: try value(key)) }
    func decode(_: Int.Type, forKey key: Key) throws -> Int { try document.integer(Int.self, at: try value(key)) }
    func decode(_: Int64.Type, forKey key: Key) throws -> Int64 { try document.integer(Int64.self, at: try value(key)) }
    func decode(_: Int32.Type, forKey key: Key) throws -> Int32 { try document.integer(Int32.self, at: try value(key)) }
    func decode(_: Int16.Type, forKey key: Key) throws -> Int16 { try document.integer(Int16.self, at: try value(key)) }
    func decode(_: Int8.Type, forKey key: Key) throws -> Int8 { try document.integer(Int8.self, at: try value(key)) }
    func decode(_: UInt.Type, forKey key: Key) throws -> UInt { try document.integer(UInt.self, at: try value(key)) }
    func decode(_: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.integer(UInt64.self, at: try value(key)) }
    func decode(_: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.integer(UInt32.self, at: try value(key)) }
    func decode(_: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.integer(UInt16.self, at: try value(key)) }
    func decode(_: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.integer(UInt8.self, at: try value(key)) }
    func decode(_: Double.Type, forKey _: Key) throws -> Double { throw GaveUp() }
    func decode(_: Float.Type, forKey _: Key) throws -> Float { throw GaveUp() }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(document: document, index: try value(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(document: document, index: try value(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { throw GaveUp() }
    func superDecoder(forKey _: Key) throws -> any Decoder { throw GaveUp() }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    let document: ScannedJSON
    /// The next element's node.
    private var cursor: Int
    let count: Int?
    private(set) var currentIndex = 0

    init(document: ScannedJSON, array: Int) {
        self.document = document
        cursor = array + 1
        count = Int(document.nodes[array].start)
    }

    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= count! }

    /// The next element's node, moving past it.
    private mutating func next() throws -> Int {
        guard !isAtEnd else { throw GaveUp() }
        let index = cursor
        cursor = document.skip(cursor)
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, document.nodes[cursor].kind == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: try next()) }
    mutating func decode(_: Bool.Type) throws -> Bool { try document.bool(at: try next()) }
    mutating func decode(_: String.Type) throws -> String { try document.string(at: try next()) }
    mutating func decode(_: Int.Type) throws -> Int { try document.integer(Int.self, at: try next()) }
    mutating func decode(_: Int64.Type) throws -> Int64 { try document.integer(Int64.self, at: try next()) }
    mutating func decode(_: Int32.Type) throws -> Int32 { try document.integer(Int32.self, at: try next()) }
    mutating func decode(_: Int16.Type) throws -> Int16 { try document.integer(Int16.self, at: try next()) }
    mutating func decode(_: Int8.Type) throws -> Int8 { try document.integer(Int8.self, at: try next()) }
    mutating func decode(_: UInt.Type) throws -> UInt { try document.integer(UInt.self, at: try next()) }
    mutating func decode(_: UInt64.Type) throws -> UInt64 { try document.integer(UInt64.self, at: try next()) }
    mutating func decode(_: UInt32.Type) throws -> UInt32 { try document.integer(UInt32.self, at: try next()) }
    mutating func decode(_: UInt16.Type) throws -> UInt16 { try document.integer(UInt16.self, at: try next()) }
    mutating func decode(_: UInt8.Type) throws -> UInt8 { try document.integer(UInt8.self, at: try next()) }
    mutating func decode(_: Double.Type) throws -> Double { throw GaveUp() }
    mutating func decode(_: Float.Type) throws -> Float { throw GaveUp() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(document: document, index: try next()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(document: document, index: try next()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw GaveUp() }
}
