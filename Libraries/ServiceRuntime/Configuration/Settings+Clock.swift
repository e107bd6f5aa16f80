import Domain
import Foundation

extension Settings {
    /// The programme day a service decides on: the calendar's today, unless
    /// `clock.today` (`YYYY-MM-DD`) pins it — for demonstrating or replaying a
    /// past edition, whose rules refuse anything decided after its end.
    public func programmeDay() throws -> @Sendable () -> CalendarDate {
        guard let text = string("clock.today") else { return { CalendarDate(Date()) } }
        guard let day = CalendarDate(text) else { throw SettingsError.invalid("clock.today", "a date YYYY-MM-DD") }
        return { day }
    }
}
