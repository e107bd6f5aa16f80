import Foundation

/// Dates and durations as Polish readers write them: "4 maja 2022 r.",
/// "12 godz. 30 min". Pages never show an ISO date or a count of minutes.
enum PolishText {
    static let months = [
        "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
    ]

    /// A moment, as its day in Poland.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Warsaw") ?? .gmt
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 2000) r."
    }

    /// A calendar day as the services send it ("2022-05-04"); anything else as it came.
    static func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return iso }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0]) r."
    }

    /// "12 godz. 30 min", or "40 godz." for whole hours.
    static func hours(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "−" : ""
        let (h, m) = (abs(minutes) / 60, abs(minutes) % 60)
        return sign + (m == 0 ? "\(h) godz." : "\(h) godz. \(m) min")
    }
}
