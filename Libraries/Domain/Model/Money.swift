/// An amount in Polish złoty, kept in grosze so sums are exact.
/// Encodes as a decimal string with two places ("2492860.00"): JSON numbers
/// are floating point in too many readers.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, AdditiveArithmetic {
    public var grosze: Int64

    public init(grosze: Int64) { self.grosze = grosze }
    public init(zloty: Int64) { self.grosze = zloty * 100 }
    public static let zero = Money(grosze: 0)

    /// Parses "40", "40.5", "40.50" (a comma is accepted as the decimal mark, as Polish forms write it).
    /// Byte by byte: every amount of every event passes here.
    public init?(_ text: some StringProtocol) {
        var whole: Int64 = 0
        var wholeDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var negative = false
        var inFraction = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard !inFraction else { return nil }
                inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if inFraction {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { return nil }
                    fraction = fraction * 10 + digit
                } else {
                    wholeDigits += 1
                    guard wholeDigits <= 13 else { return nil }
                    whole = whole * 10 + digit
                }
            default:
                return nil
            }
        }
        guard wholeDigits > 0, !inFraction || fractionDigits > 0 else { return nil }
        grosze = (negative ? -1 : 1) * (whole * 100 + (fractionDigits == 1 ? fraction * 10 : fraction))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Money(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an amount like \"40.00\", got '\(text.prefix(40))'"))
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
