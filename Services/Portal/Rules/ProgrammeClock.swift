import Domain
import Foundation

/// "Now" for the pages' lists (what is upcoming, what may be cancelled): the
/// programme day the services decide on (`clock.today`, for a demonstration of
/// a past edition) at the current time of day in Poland.
struct ProgrammeClock: Sendable {
    let day: @Sendable () -> CalendarDate

    func now() -> Date {
        let calendar = ProgrammeTime.calendar
        let real = Date()
        let today = day()
        guard today != CalendarDate(real) else { return real }
        let time = calendar.dateComponents([.hour, .minute, .second], from: real)
        return calendar.date(
            from: DateComponents(year: today.year, month: today.month, day: today.day, hour: time.hour, minute: time.minute, second: time.second))
            ?? real
    }
}

/// The programme's calendar: Gregorian in Poland's time zone (`TimeZone.programme`).
enum ProgrammeTime {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .programme
        return calendar
    }()

    /// The instant at a wall-clock time ("HH:MM", hours 0–23) on a day in Poland.
    static func instant(day: String, time: String) -> Date? {
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard let day = CalendarDate(day), clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1]))
    }
}
