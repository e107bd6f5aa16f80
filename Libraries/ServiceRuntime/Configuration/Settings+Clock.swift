import Domain
import FoundationEssentials

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

/// "Now" as the programme sees it: the programme day (`clock.today` when pinned) at
/// the current time of day in Poland. What is still ahead — an order to cancel, a
/// visit to come — is decided on it, so a demonstration of a past edition behaves
/// as on its day.
public struct ProgrammeClock: Sendable {
    public let day: @Sendable () -> CalendarDate

    public init(day: @escaping @Sendable () -> CalendarDate) {
        self.day = day
    }

    /// The calendar's own today.
    public static let real = ProgrammeClock { CalendarDate(Date()) }

    public func now() -> Date {
        let real = Date()
        let today = day()
        guard today != CalendarDate(real) else { return real }
        return PolishTime.instant(on: today, at: PolishTime.wallClock(real).secondOfDay)
    }
}

extension Settings {
    public func programmeClock() throws -> ProgrammeClock { ProgrammeClock(day: try programmeDay()) }
}
