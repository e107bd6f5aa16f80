import Domain
import FoundationEssentials

/// One weekly window in which an assistant works: an ISO weekday (1 Monday …
/// 7 Sunday) and Warsaw wall-clock times, "from" before "to" ("to" may be "24:00").
struct WeeklySlot: Hashable, Sendable, Codable {
    var weekday: Int
    var from: TimeOfDay
    var to: TimeOfDay

    init(weekday: Int, from: TimeOfDay, to: TimeOfDay) {
        self.weekday = weekday
        self.from = from
        self.to = to
    }

    var isValid: Bool { (1...7).contains(weekday) && from < to }
}

/// Whether a service falls entirely inside an assistant's weekly availability.
/// A service past midnight needs a slot ending at "24:00" on its first day and
/// one starting at "00:00" on the next; adjacent slots of a day join up.
enum Availability {
    static func covers(_ slots: [WeeklySlot], _ time: ServiceTime) -> Bool {
        var day = time.firstDay
        while day <= time.lastDay {
            let dayStart = day.startOfDay()
            let nextDayStart = day.adding(days: 1).startOfDay()
            let pieceStart = max(time.start, dayStart)
            let pieceEnd = min(time.end, nextDayStart)
            let from = ProgrammeCalendar.timeOfDay(pieceStart)
            let to = pieceEnd == nextDayStart ? TimeOfDay.endOfDay : ProgrammeCalendar.timeOfDay(pieceEnd)
            let weekday = day.isoWeekday
            guard joined(slots.filter { $0.weekday == weekday }).contains(where: { $0.from <= from && to <= $0.to }) else { return false }
            day = day.adding(days: 1)
        }
        return true
    }

    /// A day's slots with overlapping or touching ones merged.
    static func joined(_ slots: [WeeklySlot]) -> [WeeklySlot] {
        var merged: [WeeklySlot] = []
        for slot in slots.sorted(by: { $0.from < $1.from }) {
            if let last = merged.last, slot.from <= last.to {
                merged[merged.count - 1].to = max(last.to, slot.to)
            } else {
                merged.append(slot)
            }
        }
        return merged
    }
}
