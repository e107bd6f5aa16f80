import FoundationEssentials

/// `Date` travels as `timestamptz` in ISO 8601 with an explicit offset, so the session's
/// TimeZone setting can never shift it. Microsecond precision, like Postgres.
extension Date: PostgresEncodable, PostgresDecodable {
    public func encodePostgres() -> String? { PostgresTimestamp.format(self) }
    public static var postgresTypeName: String? { "timestamptz" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        guard let date = PostgresTimestamp.parse(text) else { throw PostgresDecodingError(Date.self) }
        self = date
    }
}

/// Hand-written because Foundation's formatters are slow, locale-sensitive and lose microseconds.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let total = Int64(micros)
        var days = total / 86_400_000_000
        var rem = total % 86_400_000_000
        if rem < 0 {
            rem += 86_400_000_000
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        let secs = rem / 1_000_000
        let frac = rem % 1_000_000
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)  // year 0 and earlier: rare, server will reject; kept honest
        return "\(year)-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2)).\(pad(frac, 6))Z"
    }

    /// Accepts `YYYY-MM-DD[ T]HH:MM:SS[.f+][(+|-)HH[:MM[:SS]]|Z]` and a bare `YYYY-MM-DD` (type date).
    /// Without an offset (type timestamp) the value is read as UTC.
    static func parse(_ text: String) -> Date? {
        var text = text
        // In place over the string's bytes: a timestamp is parsed for every one read.
        return text.withUTF8 { bytes -> Date? in
            var c = Cursor(bytes: bytes)
            // The year may have more than four digits.
            var yearDigits = 0
            while c.isDigit(at: c.index + yearDigits) { yearDigits += 1 }
            guard yearDigits >= 4, let year = c.number(yearDigits), c.expect("-"), let month = c.number(2), c.expect("-"),
                let day = c.number(2)
            else { return nil }
            var seconds: Int64 = 0
            var micros: Int64 = 0
            var offset: Int64 = 0
            if !c.isAtEnd {
                guard c.expect(" ") || c.expect("T"), let hh = c.number(2), c.expect(":"), let mm = c.number(2), c.expect(":"),
                    let ss = c.number(2)
                else { return nil }
                seconds = hh * 3600 + mm * 60 + ss
                if c.expect(".") {
                    var scale: Int64 = 100_000
                    while c.isDigit(at: c.index) {
                        micros += Int64(bytes[c.index] - UInt8(ascii: "0")) * scale
                        scale /= 10
                        c.index += 1
                    }
                }
                if c.expect("Z") {
                } else if !c.isAtEnd {
                    let sign: Int64 = bytes[c.index] == UInt8(ascii: "-") ? -1 : 1
                    guard c.expect("+") || c.expect("-"), let oh = c.number(2) else { return nil }
                    var off = oh * 3600
                    if c.expect(":"), let om = c.number(2) { off += om * 60 }
                    if c.expect(":"), let os = c.number(2) { off += os }
                    offset = sign * off
                }
                guard c.isAtEnd else { return nil }  // e.g. " BC"
            }
            let days = days(fromCivil: year, month, day)
            let total = (days * 86_400 + seconds - offset) * 1_000_000 + micros
            return Date(timeIntervalSince1970: Double(total) / 1_000_000)
        }
    }

    /// A reading position in a timestamp's bytes.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }

        func isDigit(at position: Int) -> Bool {
            position < bytes.count && bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9")
        }

        /// The next `digits` digits as a number, or nil (nothing consumed) if they are not all digits.
        mutating func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for position in index..<(index + digits) {
                guard isDigit(at: position) else { return nil }
                value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }

        /// Consumes `character` if it comes next.
        mutating func expect(_ character: Unicode.Scalar) -> Bool {
            guard !isAtEnd, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
    }

    // Howard Hinnant's proleptic Gregorian conversions.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
