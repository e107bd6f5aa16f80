import Domain
import Foundation

/// One table of cases for the programme's hours-in-24 rule, run through
/// `DailyLimit` itself and through both services that apply it (ordering at
/// assignment, timesheet at acceptance), so the two cannot drift apart.
///
/// Times are written as "day hh:mm[:ss]" from midnight of the test's day 1;
/// booked spans never overlap the new one, so only the limit decides.
public struct DailyLimitCase: CustomStringConvertible, Sendable {
    public var name: String
    public var booked: [(String, String)]
    public var new: (String, String)
    public var limitHours: Int
    public var allowed: Bool

    public var description: String { name }

    /// The case's spans placed from `dayOne` (midnight of the first day).
    public func spans(from dayOne: Date) -> (booked: [WorkSpan], new: WorkSpan) {
        func span(_ times: (String, String)) -> WorkSpan {
            WorkSpan(start: Self.instant(times.0, from: dayOne), end: Self.instant(times.1, from: dayOne))
        }
        return (booked.map(span), span(new))
    }

    public static func instant(_ text: String, from dayOne: Date) -> Date {
        let parts = text.split(separator: " ")
        let day = Int(parts[0])!
        let clock = parts[1].split(separator: ":").map { Int($0)! }
        let seconds = (day - 1) * 86_400 + clock[0] * 3600 + clock[1] * 60 + (clock.count > 2 ? clock[2] : 0)
        return dayOne.addingTimeInterval(TimeInterval(seconds))
    }

    public static let all: [DailyLimitCase] = [
        .init(name: "exactly 12 hours alone", booked: [], new: ("1 08:00", "1 20:00"), limitHours: 12, allowed: true),
        .init(name: "12 h and 1 s alone", booked: [], new: ("1 08:00", "1 20:00:01"), limitHours: 12, allowed: false),
        .init(name: "exactly 12 hours in two spans", booked: [("1 06:00", "1 12:00")], new: ("1 13:00", "1 19:00"), limitHours: 12, allowed: true),
        .init(name: "12 h and 1 s in two spans", booked: [("1 06:00", "1 12:00")], new: ("1 13:00", "1 19:00:01"), limitHours: 12, allowed: false),
        .init(
            name: "the new span before the booked one", booked: [("1 13:00", "1 19:00:01")], new: ("1 06:00", "1 12:00"), limitHours: 12,
            allowed: false),
        .init(
            name: "across midnight, exactly 12 hours", booked: [("1 20:00", "2 02:00")], new: ("2 02:00", "2 08:00"), limitHours: 12, allowed: true),
        .init(
            name: "across midnight, 12 h and 1 s", booked: [("1 20:00", "2 02:00")], new: ("2 02:00", "2 08:00:01"), limitHours: 12, allowed: false),
        .init(
            name: "the next window starts after 24 hours", booked: [("1 08:00", "1 20:00")], new: ("2 08:00", "2 12:00"), limitHours: 12,
            allowed: true),
        .init(
            name: "one second inside the first window", booked: [("1 08:00", "1 20:00")], new: ("2 07:59:59", "2 12:00"), limitHours: 12,
            allowed: false),
        .init(
            name: "only the part inside the window counts", booked: [("1 10:00", "1 20:00")], new: ("2 08:00", "2 16:00"), limitHours: 12,
            allowed: true),
        .init(
            name: "a window from a later start", booked: [("1 08:00", "1 09:00"), ("2 00:00", "2 06:00")], new: ("2 07:00", "2 13:00"),
            limitHours: 12,
            allowed: true),
        .init(
            name: "a window from a later start, 1 s over", booked: [("1 08:00", "1 09:00"), ("2 00:00", "2 06:00")], new: ("2 07:00", "2 13:00:01"),
            limitHours: 12, allowed: false),
        .init(
            name: "an edition with 10 hours: exactly 10", booked: [("1 06:00", "1 10:00")], new: ("1 11:00", "1 17:00"), limitHours: 10, allowed: true
        ),
        .init(
            name: "an edition with 10 hours: 10 h and 1 s", booked: [("1 06:00", "1 10:00")], new: ("1 11:00", "1 17:00:01"), limitHours: 10,
            allowed: false),
        .init(name: "an edition with 10 hours refuses what 12 allow", booked: [], new: ("1 08:00", "1 19:00"), limitHours: 10, allowed: false),
    ]
}
