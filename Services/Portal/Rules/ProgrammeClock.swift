import Domain
import Foundation

/// "Now" for the pages' lists (what is upcoming, what may be cancelled): the
/// programme day the services decide on (`clock.today`, for a demonstration of
/// a past edition) at the current time of day in Poland.
struct ProgrammeClock: Sendable {
    let day: @Sendable () -> CalendarDate

    func now() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Warsaw") ?? .gmt
        let real = Date()
        let today = day()
        guard today != CalendarDate(real) else { return real }
        let time = calendar.dateComponents([.hour, .minute, .second], from: real)
        return calendar.date(
            from: DateComponents(year: today.year, month: today.month, day: today.day, hour: time.hour, minute: time.minute, second: time.second))
            ?? real
    }
}
