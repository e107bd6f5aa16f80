extension StringProtocol {
    /// The text without the whitespace and line breaks around it: what a person meant to type.
    public var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

extension Sequence<UInt8> {
    /// Lowercase hexadecimal, two digits a byte: digests as logs and tables show them.
    public var hexadecimal: String {
        String(decoding: flatMap { [hexadecimalDigits[Int($0 >> 4)], hexadecimalDigits[Int($0 & 15)]] }, as: UTF8.self)
    }
}

private let hexadecimalDigits = Array("0123456789abcdef".utf8)
