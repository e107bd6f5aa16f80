import Domain
import Foundation

/// Dates and durations as Polish readers write them: "4 maja 2022 r.",
/// "12 godz. 30 min". Pages never show an ISO date or a count of minutes.
enum PolishText {
    static let months = [
        "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
    ]

    /// Month names as a heading says them ("maj 2022").
    static let monthNames = [
        "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
    ]

    /// "maj 2022"
    static func month(_ month: YearMonth) -> String { "\(monthNames[month.month - 1]) \(month.year)" }

    /// "maja 2022", after "od" and "do".
    static func ofMonth(_ month: YearMonth) -> String { "\(months[month.month - 1]) \(month.year)" }

    /// A moment's time of day in Poland, "09:05".
    static func time(_ date: Date) -> String {
        PolishTime.clock(PolishTime.wallClock(date).secondOfDay)
    }

    /// "Katarzyna" from "Katarzyna Mazur": how a visit names the other person.
    static func firstName(_ name: String) -> String {
        String(name.split(separator: " ").first ?? Substring(name))
    }

    /// "09:00–11:30": a visit's hours in Poland.
    static func timeSpan(_ start: Date, _ end: Date) -> String { "\(time(start))–\(time(end))" }

    /// A moment, as its day in Poland.
    static func date(_ date: Date) -> String {
        day(CalendarDate(date).description)
    }

    /// A calendar day as the services send it ("2022-05-04"); anything else as it came.
    static func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return iso }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0]) r."
    }

    /// A decimal as the services send it ("1234.50") as Polish writes it: "1 234,50",
    /// thousands apart by a no-break space.
    static func decimal(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let parts = text.drop { $0 == "-" }.split(separator: ".", maxSplits: 1)
        var digits = String(parts.first ?? "0")
        var grouped: [String] = []
        while digits.count > 3 {
            grouped.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        grouped.insert(digits, at: 0)
        return (negative ? "−" : "") + grouped.joined(separator: "\u{00A0}") + (parts.count > 1 ? "," + parts[1] : "")
    }

    /// An amount in złoty: "1 234,50 zł".
    static func amount(_ text: String) -> String { decimal(text) + "\u{00A0}zł" }

    /// "12 godz. 30 min"; "40 godz." for whole hours, "30 min" under an hour.
    static func hours(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "−" : ""
        let (h, m) = (abs(minutes) / 60, abs(minutes) % 60)
        switch (h, m) {
        case (_, 0): return sign + "\(h) godz."
        case (0, _): return sign + "\(m) min"
        default: return sign + "\(h) godz. \(m) min"
        }
    }
}

/// What people type for a day and a time, read the ways they write them:
/// "10.05.2022", "10-5-2022" or "2022-05-10"; "9:00", "09.30", "930". Plain
/// text fields, not the browser's date and time pickers, which change with the
/// browser's language and are hard to use with a screen reader.
enum PolishInput {
    /// The day as `YYYY-MM-DD`, or nil.
    static func day(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { ".-/ ".contains($0) }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (year, month, day) = parts[0] > 31 ? (parts[0], parts[1], parts[2]) : (parts[2], parts[1], parts[0])
        guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return date.description
    }

    /// The time as `HH:MM`, or nil.
    static func time(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { ":.".contains($0) }).map(String.init)
        let (hour, minute): (Int?, Int?) =
            switch parts.count {
            case 2: (Int(parts[0]), Int(parts[1]))
            case 1 where (3...4).contains(parts[0].count): (Int(parts[0].dropLast(2)), Int(parts[0].suffix(2)))
            case 1: (Int(parts[0]), 0)
            default: (nil, nil)
            }
        guard let hour, let minute, (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else { return nil }
        return String(format: "%02d:%02d", hour, minute)
    }
}
