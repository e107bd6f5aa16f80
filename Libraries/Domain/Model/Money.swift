/// An amount in Polish złoty, kept in grosze so sums are exact.
/// Encodes as a decimal string with two places ("2492860.00"): JSON numbers
/// are floating point in too many readers.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, AdditiveArithmetic {
    public var grosze: Int64

    public init(grosze: Int64) { self.grosze = grosze }
    public init(zloty: Int64) { self.grosze = zloty * 100 }
    public static let zero = Money(grosze: 0)

    /// Parses "40", "40.5", "40.50" (a comma is accepted as the decimal mark, as Polish forms write it).
    public init?(_ text: some StringProtocol) {
        let normalized = text.replacingOccurrences(of: ",", with: ".")
        var sign: Int64 = 1
        var digits = Substring(normalized)
        if digits.hasPrefix("-") { sign = -1; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 13,
              parts[0].allSatisfy(\.isASCIIDigit), let whole = Int64(parts[0]) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy(\.isASCIIDigit), let value = Int64(f) else { return nil }
            fraction = f.count == 1 ? value * 10 : value
        }
        grosze = sign * (whole * 100 + fraction)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Money(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an amount like \"40.00\", got '\(text.prefix(40))'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// "2492860.00"
    public var description: String {
        let magnitude = grosze.magnitude
        let fraction = magnitude % 100
        return "\(grosze < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.grosze < rhs.grosze }
    public static func + (lhs: Self, rhs: Self) -> Self { Money(grosze: lhs.grosze + rhs.grosze) }
    public static func - (lhs: Self, rhs: Self) -> Self { Money(grosze: lhs.grosze - rhs.grosze) }

    /// The cost of `minutes` at this hourly rate, rounded half up to the grosz.
    public func forMinutes(_ minutes: Int) -> Money {
        Money(grosze: (grosze * Int64(minutes) * 2 + 60) / 120)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
