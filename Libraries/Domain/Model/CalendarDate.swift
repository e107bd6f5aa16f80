import FoundationEssentials

/// A day on the Polish civil calendar, with no time or zone: birth dates,
/// certificate validity and edition periods are days, not instants.
/// Encodes as `YYYY-MM-DD`.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Fails for impossible dates such as 2023-02-29.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.days(inMonth: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`, ASCII digits in exactly these widths.
    @inlinable
    public init?(_ text: some StringProtocol) {
        guard let (y, m, d) = dashedNumbers(text, count: 3) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD, got '\(text.prefix(40))'"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))-\(zeroPadded(day, 2))"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var yearMonth: YearMonth { YearMonth(year: year, month: month)! }

    /// The day `years` years later; 29 February becomes 28 February in common
    /// years, as Polish law counts a birthday on 29 February.
    public func adding(years: Int) -> CalendarDate {
        let y = year + years
        return CalendarDate(year: y, month: month, day: min(day, CalendarDate.days(inMonth: month, year: y)))!
    }

    /// The same day `months` months later, or the month's last day when it is shorter
    /// (31 January + 1 month = 28 or 29 February).
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let (y, m) = (index / 12, index % 12 + 1)
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.days(inMonth: m, year: y)))!
    }

    /// The day `days` days later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(julianDay: julianDay + days)
    }

    /// Whole years completed on `date`: the age of someone born on `self`.
    public func completedYears(on date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        if month == 2, day == 29, date.month == 2, date.day == 28,
            CalendarDate.days(inMonth: 2, year: date.year) == 28
        {
            years += 1
        }
        return years
    }

    /// Days since an arbitrary epoch; differences between two dates are exact.
    public var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public init(julianDay: Int) {
        let a = julianDay + 32044
        let b = (4 * a + 3) / 146097
        let c = a - 146097 * b / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        self.init(year: 100 * b + d - 4800 + m / 10, month: m + 3 - 12 * (m / 10), day: e - (153 * m + 2) / 5 + 1)!
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var isoWeekday: Int { julianDay % 7 + 1 }

    /// The calendar day of an instant in Poland, where the programme runs
    /// (proleptic Gregorian, from Poland's offset and day numbers).
    public init(_ instant: Date) {
        self = PolishTime.wallClock(instant).day
    }

    /// `julianDay` of 1970-01-01.
    static let unixEpochJulianDay = CalendarDate(year: 1970, month: 1, day: 1)!.julianDay

    /// Midnight at the start of this day in Poland.
    public func startOfDay() -> Date {
        PolishTime.instant(on: self, at: 0)
    }
}

/// An inclusive range of days, such as an edition's period or a grant's.
public struct DateRange: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: CalendarDate
    public var end: CalendarDate

    public init(start: CalendarDate, end: CalendarDate) {
        self.start = start
        self.end = end
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try container.decode(CalendarDate.self, forKey: .start)
        end = try container.decode(CalendarDate.self, forKey: .end)
        guard start <= end else {
            throw DecodingError.dataCorruptedError(forKey: .end, in: container, debugDescription: "the end \(end) is before the start \(start)")
        }
    }

    public func contains(_ date: CalendarDate) -> Bool { start <= date && date <= end }
    public var description: String { "\(start)…\(end)" }
}

/// A calendar month, the unit in which hours are closed and reported. Encodes as `YYYY-MM`.
public struct YearMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// `YYYY-MM`, ASCII digits in exactly these widths.
    @inlinable
    public init?(_ text: some StringProtocol) {
        guard let (y, m, _) = dashedNumbers(text, count: 2) else { return nil }
        self.init(year: y, month: m)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = YearMonth(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a month YYYY-MM, got '\(text.prefix(40))'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))" }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    /// The month after (the year 9999's December has none: it stays).
    public var next: YearMonth { (month == 12 ? YearMonth(year: year + 1, month: 1) : YearMonth(year: year, month: month + 1)) ?? self }
    /// The month before (the year 1900's January has none: it stays).
    public var previous: YearMonth { (month == 1 ? YearMonth(year: year - 1, month: 12) : YearMonth(year: year, month: month - 1)) ?? self }
    public var lastDay: CalendarDate { CalendarDate(year: year, month: month, day: CalendarDate.days(inMonth: month, year: year))! }
    /// Every month from this one to `last`, in order; empty when `last` is earlier.
    public func through(_ last: YearMonth) -> [YearMonth] {
        self > last ? [] : Array(sequence(first: self) { $0 < last ? $0.next : nil })
    }
}

/// `String(format:)` goes through Foundation's formatter; months are written for every answer.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let sign = value < 0 ? "-" : ""
    let digits = String(value.magnitude)
    return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
}

/// The numbers of `YYYY-MM` (`count` 2) or `YYYY-MM-DD` (3): four digits, then two
/// per part, dashes between. Read byte by byte, because every stored month and day
/// is parsed as its row is read: splitting the text took a fifth of timesheet's time
/// at 2 000 entries a second.
@usableFromInline
func dashedNumbers(_ text: some StringProtocol, count: Int) -> (Int, Int, Int)? {
    var numbers = (0, 0, 0)
    var part = 0
    var width = 0
    for byte in text.utf8 {
        if byte == UInt8(ascii: "-") {
            guard width == (part == 0 ? 4 : 2), part + 1 < count else { return nil }
            part += 1
            width = 0
            continue
        }
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), width < (part == 0 ? 4 : 2) else { return nil }
        let digit = Int(byte - UInt8(ascii: "0"))
        switch part {
        case 0: numbers.0 = numbers.0 * 10 + digit
        case 1: numbers.1 = numbers.1 * 10 + digit
        default: numbers.2 = numbers.2 * 10 + digit
        }
        width += 1
    }
    guard part == count - 1, width == 2 else { return nil }
    return numbers
}
