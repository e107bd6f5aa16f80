import Domain
import Foundation
import Testing

@testable import Ordering

@Suite("Service times in Warsaw")
struct ServiceTimeTests {
    @Test(arguments: [
        ("2024-05-06", "09:00", "12:00", 180),
        ("2024-05-06", "22:00", "02:00", 240),  // past midnight
        ("2024-05-06", "20:00", "24:00", 240),
        ("2024-03-31", "01:00", "04:00", 120),  // clocks go forward at 02:00: two hours really worked
        ("2024-10-27", "01:00", "04:00", 240),  // clocks go back at 03:00: four hours
    ])
    func minutes(date: String, start: String, end: String, minutes: Int) throws {
        let time = try #require(ServiceTime(date: day(date), start: TimeOfDay(start)!, end: TimeOfDay(end)!))
        #expect(time.minutes == minutes)
    }

    @Test func zeroLengthIsNoService() {
        #expect(ServiceTime(date: day("2024-05-06"), start: TimeOfDay("09:00")!, end: TimeOfDay("09:00")!) == nil)
    }

    @Test(arguments: ["9:00", "24:01", "25:00", "12:60", "12-00", "", "ab:cd"])
    func badTimes(text: String) {
        #expect(TimeOfDay(text) == nil)
    }

    @Test func weekdays() {
        #expect(day("2024-05-06").isoWeekday == 1)  // Monday
        #expect(day("2024-05-12").isoWeekday == 7)  // Sunday
    }
}
