import Domain
import FoundationEssentials

/// How messages to an NGO clerk show times: Polish local time, minutes only
/// ("2022-06-01 10:00–12:00").
enum Formatting {
    static func instant(_ date: Date) -> String {
        let (day, second) = PolishTime.wallClock(date)
        return "\(day) \(PolishTime.clock(second))"
    }

    static func span(_ start: Date, _ end: Date) -> String {
        let (startDay, startSecond) = PolishTime.wallClock(start)
        let (endDay, endSecond) = PolishTime.wallClock(end)
        let endText = startDay == endDay ? PolishTime.clock(endSecond) : "\(endDay) \(PolishTime.clock(endSecond))"
        return "\(startDay) \(PolishTime.clock(startSecond))–\(endText)"
    }
}

enum Format {
    /// "7 h 30 min", "45 min", "12 h".
    static func hours(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : ""
        let h = abs(minutes) / 60
        let m = abs(minutes) % 60
        switch (h, m) {
        case (0, _): return "\(sign)\(m) min"
        case (_, 0): return "\(sign)\(h) h"
        default: return "\(sign)\(h) h \(m) min"
        }
    }
}
