import FoundationEssentials

/// RFC 3339 timestamps: any offset in, UTC out; fractional seconds only when present.
public enum Timestamp {
    private static let whole = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func format(_ date: Date) -> String {
        var text: [UInt8] = []
        append(date, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes the text of `format` into a byte buffer: the event encoder's path.
    public static func append(_ date: Date, to out: inout [UInt8]) {
        guard !appendFast(date, to: &out) else { return }
        let seconds = date.timeIntervalSinceReferenceDate
        out.append(contentsOf: (seconds.rounded(.down) == seconds ? whole : fractional).format(date).utf8)
    }

    public static func parse(_ text: String) -> Date? {
        // Its shape passes the check below, so it goes first: the check counts characters.
        if let wholeSeconds = WholeSeconds(text) { return wholeSeconds.date }
        // A timestamp without a zone is a local time nobody can place: refuse it.
        guard text.count >= 20, text.last == "Z" || text.dropLast(6).count >= 19 && (text.dropLast(5).last == "+" || text.dropLast(5).last == "-")
        else { return nil }
        return (try? fractional.parse(text)) ?? (try? whole.parse(text))
    }

    // Fast paths for the forms nearly every timestamp takes, years 1600–9999:
    // Foundation's format styles are general and slow, and every event carries
    // several timestamps. Anything else takes the format styles (which switch to
    // the Julian calendar before 1582).

    /// `YYYY-MM-DDTHH:MM:SS[.mmm]Z`. Milliseconds are truncated, counted from the
    /// reference date as `Date` stores them: that is how the format style gets them
    /// (checked against it on random instants).
    private static func appendFast(_ date: Date, to out: inout [UInt8]) -> Bool {
        let sinceReference = date.timeIntervalSinceReferenceDate
        let whole = sinceReference.rounded(.down)
        guard whole >= -12_654_403_200, whole < 252_423_993_600 else { return false }  // 1600-01-01 ..< 10000-01-01
        let total = Int(whole) + 978_307_200  // since 1970
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let second = total - days * 86_400
        let day = CalendarDate(julianDay: days + CalendarDate.unixEpochJulianDay)
        func digits(_ value: Int, _ width: Int, then separator: UInt8) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            out.append(separator)
        }
        digits(day.year, 4, then: UInt8(ascii: "-"))
        digits(day.month, 2, then: UInt8(ascii: "-"))
        digits(day.day, 2, then: UInt8(ascii: "T"))
        digits(second / 3600, 2, then: UInt8(ascii: ":"))
        digits(second / 60 % 60, 2, then: UInt8(ascii: ":"))
        if whole == sinceReference {
            digits(second % 60, 2, then: UInt8(ascii: "Z"))
        } else {
            digits(second % 60, 2, then: UInt8(ascii: "."))
            digits(Int((sinceReference - whole) * 1000), 3, then: UInt8(ascii: "Z"))
        }
        return true
    }

    /// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, years 1600–9999. A text of this
    /// shape names a real instant or none: 30 February is refused, not rolled over.
    private struct WholeSeconds {
        var date: Date?

        init?(_ text: String) {
            guard text.utf8.count == 20 || text.utf8.count == 25 else { return nil }
            var text = text
            guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
            self = parsed
        }

        private init(date: Date?) { self.date = date }

        private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> WholeSeconds? {
            func number(_ at: Int, _ width: Int) -> Int64? {
                var value: Int64 = 0
                for byte in b[at..<at + width] {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
                b[16] == UInt8(ascii: ":"),
                let year = number(0, 4), year >= 1600, let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
            else { return nil }
            var offset: Int64 = 0
            if b.count == 20 {
                guard b[19] == UInt8(ascii: "Z") else { return nil }
            } else {
                guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                    let offsetHours = number(20, 2), let offsetMinutes = number(23, 2)
                else { return nil }
                guard offsetHours < 24, offsetMinutes < 60 else { return WholeSeconds(date: nil) }
                offset = (offsetHours * 3600 + offsetMinutes * 60) * (b[19] == UInt8(ascii: "-") ? -1 : 1)
            }
            guard let day = CalendarDate(year: Int(year), month: Int(month), day: Int(day)), hour < 24, minute < 60, second < 60 else {
                return WholeSeconds(date: nil)
            }
            let days = Int64(day.julianDay - CalendarDate.unixEpochJulianDay)
            return WholeSeconds(date: Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset)))
        }
    }
}
