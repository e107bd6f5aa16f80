import Domain
import Foundation
import ServiceRuntime

/// Wall-clock times in Poland, as pages read them.
enum ProgrammeTime {
    /// The instant at a wall-clock time ("HH:MM", hours 0–23) on a day in Poland.
    static func instant(day: String, time: String) -> Date? {
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard let day = CalendarDate(day), clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        return PolishTime.instant(on: day, at: clock[0] * 3600 + clock[1] * 60)
    }
}

extension ProgrammeClock {
    /// Today's edition, what a page shows until another is asked for: editions are named by their year.
    var edition: String { String(day().year) }
}
