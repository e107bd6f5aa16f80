import Domain
import Foundation

/// PESELs for tests: a correct check digit for a date of birth and a serial.
public enum TestPesel {
    public static func valid(born date: CalendarDate, serial: Int = 1234) -> String {
        let month = date.month + (date.year >= 2000 ? 20 : 0)
        let body = String(format: "%02d%02d%02d%04d", date.year % 100, month, date.day, serial % 10000)
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        let sum = zip(body.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body + String((10 - sum % 10) % 10)
    }
}
