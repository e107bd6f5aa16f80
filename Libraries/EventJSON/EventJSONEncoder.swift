import Domain
import FoundationEssentials
import Glibc

/// Writes the JSON of an event: keys sorted by their UTF-8 bytes, slashes
/// unescaped, dates as RFC 3339 timestamps — byte for byte what Foundation's
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`, at a
/// fraction of its cost (every accepted NGO entry is answered with one event).
///
/// Scalars are escaped straight into one byte buffer as they arrive; objects
/// keep their fields sorted by key, with each value's position in that buffer.
/// Floating-point numbers are refused: the event contract has none, and
/// matching Foundation's formatting of them is not worth its code.
struct EventJSONEncoder {
    func encode(_ value: some Encodable) throws -> [UInt8] {
        let tree = JSONTree()
        try tree.encode(value, at: .root, path: .root)
        return tree.serialized()
    }
}

/// What an encoder has written so far: the escaped scalars and the shape around them.
private final class JSONTree {
    enum Value {
        /// Bytes of `scalars`, already in their JSON form.
        case scalar(start: Int, end: Int)
        case object(Int)
        case array(Int)
    }

    struct Field {
        var key: String
        var value: Value
        /// The key's first eight bytes, big-endian: most comparisons end here.
        var prefix: UInt64

        init(key: String, value: Value) {
            self.key = key
            self.value = value
            prefix = 0
            var shift = 56
            for byte in key.utf8 {
                prefix |= UInt64(byte) << shift
                shift -= 8
                if shift < 0 { break }
            }
        }

        /// Whether `key`'s UTF-8 bytes sort before `other`'s, as Foundation sorts keys.
        func precedes(_ other: Field) -> Bool {
            prefix != other.prefix ? prefix < other.prefix : JSONText.bytesPrecede(key, other.key)
        }
    }

    /// Where a nested value goes and the path that led to it (kept here, so
    /// the encoder handed to `encode(to:)` is two words and needs no box).
    struct Slot {
        var destination: Destination
        var path: CodingPath
    }

    // One encoding runs on one thread and never holds two accesses to one of
    // these at once: the runtime's exclusivity checks are pure cost here.
    @exclusivity(unchecked) var scalars: [UInt8] = []
    @exclusivity(unchecked) var objects: [[Field]] = []
    @exclusivity(unchecked) var arrays: [[Value]] = []
    @exclusivity(unchecked) var slots: [Slot] = []
    @exclusivity(unchecked) var root: Value?
    /// Values placed so far, to see whether a nested value wrote any.
    @exclusivity(unchecked) var placed = 0

    init() {
        scalars.reserveCapacity(1024)
        slots.reserveCapacity(32)
    }

    /// A new object, with room for an event's fields so that adding them never reallocates.
    func newObject() -> Int {
        var fields: [Field] = []
        fields.reserveCapacity(16)
        objects.append(fields)
        return objects.count - 1
    }

    /// Writes a scalar with `write` and returns where it lies.
    func scalar(_ write: (inout [UInt8]) -> Void) -> Value {
        let start = scalars.count
        write(&scalars)
        return .scalar(start: start, end: scalars.count)
    }

    func place(_ value: Value, at destination: Destination) {
        placed += 1
        switch destination {
        case .root: root = value
        case let .field(object, key): add(Field(key: key, value: value), to: object)
        case let .element(array): arrays[array].append(value)
        }
    }

    /// Keeps each object's fields sorted as they arrive; a key written twice
    /// keeps its last value, as with Foundation.
    func add(_ field: Field, to object: Int) {
        var index = objects[object].count
        while index > 0, field.precedes(objects[object][index - 1]) { index -= 1 }
        if index > 0, objects[object][index - 1].key == field.key {
            objects[object][index - 1] = field
        } else {
            objects[object].insert(field, at: index)
        }
    }

    func encoder(for destination: Destination, path: CodingPath) -> JSONValueEncoder {
        slots.append(Slot(destination: destination, path: path))
        return JSONValueEncoder(tree: self, slot: slots.count - 1)
    }

    func keyedContainer<Key: CodingKey>(at destination: Destination, path: CodingPath) -> KeyedEncodingContainer<Key> {
        let object = newObject()
        place(.object(object), at: destination)
        return KeyedEncodingContainer(JSONKeyedContainer(tree: self, object: object, path: path.node))
    }

    func unkeyedContainer(at destination: Destination, path: CodingPath) -> any UnkeyedEncodingContainer {
        arrays.append([])
        place(.array(arrays.count - 1), at: destination)
        return JSONUnkeyedContainer(tree: self, array: arrays.count - 1, path: path.node)
    }

    /// Encodes a nested value; one that writes nothing becomes `{}`, as with Foundation.
    func encode<T: Encodable>(_ value: T, at destination: Destination, path: CodingPath) throws {
        if T.self == Date.self {
            let date = value as! Date
            place(
                scalar { text in
                    text.append(UInt8(ascii: "\""))
                    Timestamp.append(date, to: &text)  // digits and separators: nothing to escape
                    text.append(UInt8(ascii: "\""))
                }, at: destination)
            return
        }
        let before = placed
        try value.encode(to: encoder(for: destination, path: path))
        if placed == before { place(.object(newObject()), at: destination) }
    }

    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count + 256)
        write(root ?? .scalar(start: 0, end: 0), to: &out)
        return out
    }

    private func write(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case let .scalar(start, end):
            out.append(contentsOf: scalars[start..<end])
        case let .object(index):
            out.append(UInt8(ascii: "{"))
            for (position, field) in objects[index].enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(field.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(field.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let .array(index):
            out.append(UInt8(ascii: "["))
            for (position, element) in arrays[index].enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// Where an encoder's one value goes.
private enum Destination {
    case root
    case field(object: Int, key: String)
    case element(array: Int)
}

/// A coding path as a linked list: a container allocates one node, a scalar none.
private final class PathNode {
    let parent: PathNode?
    let key: any CodingKey

    init(parent: PathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }
}

/// The path of a value: its container's path and, unless it is the root, its own key.
private struct CodingPath {
    var container: PathNode?
    var key: (any CodingKey)?

    static var root: CodingPath { CodingPath(container: nil, key: nil) }

    /// The node a container of this value hangs its values' paths on.
    var node: PathNode? { key.map { PathNode(parent: container, key: $0) } ?? container }

    var keys: [any CodingKey] {
        var keys: [any CodingKey] = key.map { [$0] } ?? []
        var node = container
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// The scalar writes a single-value and an unkeyed container share: each puts the
/// bytes where its next value goes (`nextPath` names it in a refusal).
private protocol JSONScalarWriter {
    var nextPath: [any CodingKey] { get }
    func place(_ write: (inout [UInt8]) -> Void)
}

extension JSONScalarWriter {
    mutating func encodeNil() throws { place { $0.append(contentsOf: "null".utf8) } }
    mutating func encode(_ value: Bool) throws { place { JSONText.appendBool(value, to: &$0) } }
    mutating func encode(_ value: String) throws { place { JSONText.appendString(value, to: &$0) } }
    mutating func encode(_ value: Double) throws { throw JSONText.floatingPoint(value, nextPath) }
    mutating func encode(_ value: Float) throws { throw JSONText.floatingPoint(value, nextPath) }
    mutating func encode(_ value: Int) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int8) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int16) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int32) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int64) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt8) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt16) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt32) throws { place { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt64) throws { place { JSONText.appendInteger(value, to: &$0) } }
}

private struct JSONValueEncoder: Encoder, SingleValueEncodingContainer, JSONScalarWriter {
    let tree: JSONTree
    let slot: Int

    private var destination: Destination { tree.slots[slot].destination }
    private var path: CodingPath { tree.slots[slot].path }
    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> { tree.keyedContainer(at: destination, path: path) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { tree.unkeyedContainer(at: destination, path: path) }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    var nextPath: [any CodingKey] { codingPath }
    func place(_ write: (inout [UInt8]) -> Void) { tree.place(tree.scalar(write), at: destination) }
    mutating func encode<T: Encodable>(_ value: T) throws { try tree.encode(value, at: destination, path: path) }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let tree: JSONTree
    let object: Int
    let path: PathNode?
    var codingPath: [any CodingKey] { CodingPath(container: path, key: nil).keys }

    private func place(_ key: Key, _ write: (inout [UInt8]) -> Void) {
        tree.add(JSONTree.Field(key: key.stringValue, value: tree.scalar(write)), to: object)
    }

    private func at(_ key: any CodingKey) -> (Destination, CodingPath) {
        (.field(object: object, key: key.stringValue), CodingPath(container: path, key: key))
    }

    mutating func encodeNil(forKey key: Key) throws { place(key) { $0.append(contentsOf: "null".utf8) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { place(key) { JSONText.appendBool(value, to: &$0) } }
    mutating func encode(_ value: String, forKey key: Key) throws { place(key) { JSONText.appendString(value, to: &$0) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw JSONText.floatingPoint(value, codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw JSONText.floatingPoint(value, codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { place(key) { JSONText.appendInteger(value, to: &$0) } }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let (destination, path) = at(key)
        try tree.encode(value, at: destination, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let (destination, path) = at(key)
        return tree.keyedContainer(at: destination, path: path)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let (destination, path) = at(key)
        return tree.unkeyedContainer(at: destination, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let (destination, path) = at(SuperKey())
        return tree.encoder(for: destination, path: path)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let (destination, path) = at(key)
        return tree.encoder(for: destination, path: path)
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer, JSONScalarWriter {
    let tree: JSONTree
    let array: Int
    let path: PathNode?
    var codingPath: [any CodingKey] { CodingPath(container: path, key: nil).keys }
    var count: Int { tree.arrays[array].count }

    private var next: CodingPath { CodingPath(container: path, key: IndexKey(intValue: count)) }

    var nextPath: [any CodingKey] { next.keys }
    func place(_ write: (inout [UInt8]) -> Void) { tree.arrays[array].append(tree.scalar(write)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try tree.encode(value, at: .element(array: array), path: next) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        tree.keyedContainer(at: .element(array: array), path: next)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { tree.unkeyedContainer(at: .element(array: array), path: next) }
    mutating func superEncoder() -> any Encoder { tree.encoder(for: .element(array: array), path: next) }
}

private struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue _: String) { nil }
    init?(intValue _: Int) { nil }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue _: String) { nil }
}

/// JSON's text forms of strings and integers.
enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Quotes and escapes as Foundation does: the two-character escapes where JSON
    /// has them, `\u00XX` for other control characters, everything else as is.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case 0x08: out.append(contentsOf: #"\b"#.utf8)
                case 0x09: out.append(contentsOf: #"\t"#.utf8)
                case 0x0A: out.append(contentsOf: #"\n"#.utf8)
                case 0x0C: out.append(contentsOf: #"\f"#.utf8)
                case 0x0D: out.append(contentsOf: #"\r"#.utf8)
                default:
                    out.append(contentsOf: [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                    ])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (not `String`'s order, which normalises).
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { a in
            b.withUTF8 { b in
                let common = memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count))
                return common != 0 ? common < 0 : a.count < b.count
            }
        }
    }

    static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    static func appendInteger(_ value: some BinaryInteger, to out: inout [UInt8]) {
        out.append(contentsOf: value.description.utf8)
    }

    static func floatingPoint(_ value: some BinaryFloatingPoint, _ codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "events carry no floating-point numbers"))
    }
}
