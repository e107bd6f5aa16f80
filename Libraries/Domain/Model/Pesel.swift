/// PESEL, the Polish national id number: eleven digits that encode the date of
/// birth and end with a checksum. Validating it is a pure rule, so it lives here;
/// storing it is intake's business alone.
public struct Pesel: Sendable, Hashable {
    public let digits: String
    public let birthDate: CalendarDate

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notElevenDigits
        case badChecksum
        case impossibleBirthDate

        public var description: String {
            switch self {
            case .notElevenDigits: "must be exactly 11 digits"
            case .badChecksum: "has a wrong check digit"
            case .impossibleBirthDate: "encodes a date of birth that does not exist"
            }
        }
    }

    private static let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]

    public init(_ text: String) throws(Problem) {
        let values = text.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard text.count == 11, values.count == 11 else { throw .notElevenDigits }
        let sum = zip(values, Pesel.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard (10 - sum % 10) % 10 == values[10] else { throw .badChecksum }
        // The month carries the century: +80 for the 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s.
        let encodedMonth = values[2] * 10 + values[3]
        let (century, month): (Int, Int) =
            switch encodedMonth {
            case 81...92: (1800, encodedMonth - 80)
            case 1...12: (1900, encodedMonth)
            case 21...32: (2000, encodedMonth - 20)
            case 41...52: (2100, encodedMonth - 40)
            case 61...72: (2200, encodedMonth - 60)
            default: (0, 0)
            }
        guard month > 0, let date = CalendarDate(year: century + values[0] * 10 + values[1], month: month, day: values[4] * 10 + values[5]) else {
            throw .impossibleBirthDate
        }
        digits = text
        birthDate = date
    }
}
