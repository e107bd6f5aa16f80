import Domain
import Foundation
import TestSupport
import Testing

@Suite("The hours-in-24 rule")
struct DailyLimitTests {
    static let dayOne = Date(timeIntervalSince1970: 1_714_946_400)  // 2024-05-06 00:00 in Warsaw

    @Test(arguments: DailyLimitCase.all)
    func limit(_ c: DailyLimitCase) {
        let (booked, new) = c.spans(from: Self.dayOne)
        #expect((DailyLimit.busiestWindow(with: new, others: booked, limitHours: c.limitHours) == nil) == c.allowed)
    }

    @Test func theBusiestWindowIsNamedWithItsWork() throws {
        let (booked, new) = DailyLimitCase.all.first { $0.name == "a window from a later start, 1 s over" }!.spans(from: Self.dayOne)
        let window = try #require(DailyLimit.busiestWindow(with: new, others: booked, limitHours: 12))
        #expect(window.start == booked[1].start)
        #expect(window.seconds == 12 * 3600 + 1)
    }

    @Test(arguments: [
        ("10:00", "12:00", "12:00", "13:00", 0.0),
        ("10:00", "12:00", "11:00", "13:00", 3600.0),
        ("10:00", "12:00", "09:00", "13:00", 7200.0),
        ("10:00", "12:00", "13:00", "14:00", 0.0),
    ])
    func overlap(_ a1: String, _ a2: String, _ b1: String, _ b2: String, _ seconds: Double) {
        func span(_ from: String, _ to: String) -> WorkSpan {
            WorkSpan(start: DailyLimitCase.instant("1 " + from, from: Self.dayOne), end: DailyLimitCase.instant("1 " + to, from: Self.dayOne))
        }
        #expect(span(a1, a2).overlap(with: span(b1, b2)) == seconds)
        #expect(span(b1, b2).overlap(with: span(a1, a2)) == seconds)
    }
}
