import Domain
import FoundationEssentials

/// When a service takes place, as a client orders it: a day and two Warsaw
/// wall-clock times. An end at or before the start means the service runs past
/// midnight into the next day ("22:00"–"02:00"); "24:00" ends at midnight.
struct ServiceTime: Hashable, Sendable {
    let start: Date
    let end: Date

    init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Nil when start and end are the same time (a zero-length service).
    init?(date: CalendarDate, start: TimeOfDay, end: TimeOfDay) {
        guard start != end, start != .endOfDay else { return nil }
        let startInstant = ProgrammeCalendar.instant(date, start)
        let endDate = end > start ? date : date.adding(days: 1)
        self.init(start: startInstant, end: ProgrammeCalendar.instant(endDate, end))
    }

    /// Exact minutes (a service across a DST change counts the hours really worked).
    var minutes: Int { Int(end.timeIntervalSince(start)) / 60 }

    /// The Warsaw days the service touches: the first and the last.
    var firstDay: CalendarDate { CalendarDate(start) }
    var lastDay: CalendarDate { CalendarDate(end.addingTimeInterval(-1)) }

    /// The service as the working-time rules see it.
    var span: WorkSpan { WorkSpan(start: start, end: end) }

    func overlaps(_ other: ServiceTime) -> Bool { start < other.end && other.start < end }
}
