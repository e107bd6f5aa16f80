import Domain
import Foundation

/// How messages to an NGO clerk show times: Polish local time, minutes only
/// ("2022-06-01 10:00–12:00").
struct Formatting: Sendable {
    var timeZone: TimeZone

    func instant(_ date: Date) -> String {
        let parts = components(date)
        return "\(CalendarDate(date, in: timeZone)) \(parts)"
    }

    func span(_ start: Date, _ end: Date) -> String {
        let startDay = CalendarDate(start, in: timeZone)
        let endDay = CalendarDate(end, in: timeZone)
        let endText = startDay == endDay ? components(end) : "\(endDay) \(components(end))"
        return "\(startDay) \(components(start))–\(endText)"
    }

    private func components(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
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
