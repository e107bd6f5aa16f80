import Domain
import Foundation

@testable import Ordering

/// Warsaw wall-clock instants for readable tables: at("2024-05-06 08:00").
func at(_ text: String) -> Date {
    let parts = text.split(separator: " ")
    return ProgrammeCalendar.instant(CalendarDate(parts[0])!, TimeOfDay(parts[1])!)
}

func service(_ from: String, _ to: String) -> ServiceTime {
    ServiceTime(start: at(from), end: at(to))
}

func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
