extension StringProtocol {
    /// Whether free text holds a control character other than a line break or a tab:
    /// a NUL cannot be stored in PostgreSQL, and the others are never meant.
    public var containsStrayControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) }
    }

    /// Whether it holds any control character: ids never do.
    public var containsControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
