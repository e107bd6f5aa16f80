/// A path segment that carries any text: an NGO's entry id may hold slashes
/// ("KRU/2022/06/0147"), escaped as `%2F` in the entry's path.
public enum PathSegment {
    /// Every byte but RFC 3986's unreserved characters as `%XX`.
    public static func encoded(_ text: String) -> String {
        text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : "%" + hexDigit($0 >> 4) + hexDigit($0 & 15) }.joined()
    }

    /// The text of an escaped segment; nil when an escape is cut short or not hexadecimal,
    /// or the bytes are not UTF-8.
    public static func decoded(_ segment: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var rest = Substring(segment).utf8[...]
        while let byte = rest.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard rest.count >= 2, let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            rest = rest.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    private static func hexDigit(_ value: UInt8) -> String { String(value, radix: 16, uppercase: true) }
}
