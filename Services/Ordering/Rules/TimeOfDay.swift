import Domain
import FoundationEssentials

/// A wall-clock time in Europe/Warsaw written "HH:mm", kept as minutes since
/// midnight. "24:00" is the end of the day, for the end of a slot or an order.
struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let minutes: Int

    init?(minutes: Int) {
        guard (0...1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    static let midnight = TimeOfDay(minutes: 0)!
    static let endOfDay = TimeOfDay(minutes: 1440)!

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TimeOfDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a time HH:mm from 00:00 to 24:00"))
        }
        self = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    var description: String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.minutes < rhs.minutes }
}

/// The programme's calendar: Gregorian, on Poland's clocks (`PolishTime`).
enum ProgrammeCalendar {
    /// The instant at `time` on `date`, in Poland ("24:00" is the next midnight).
    static func instant(_ date: CalendarDate, _ time: TimeOfDay) -> Date {
        if time == .endOfDay { return date.adding(days: 1).startOfDay() }
        return PolishTime.instant(on: date, at: time.minutes * 60)
    }

    /// The wall-clock time of an instant in Poland.
    static func timeOfDay(_ instant: Date) -> TimeOfDay {
        TimeOfDay(minutes: PolishTime.wallClock(instant).secondOfDay / 60)!
    }
}
