import Foundation

/// The same assistant may work at most N hours in any 24 hours counted from
/// the start of work (the edition's `assistantDailyLimitHours`), across all
/// participants. A window opens at the start of each of the assistant's
/// services and lasts 24 hours; the minutes of every service inside it (the
/// part inside, for one that straddles its end) must not exceed the limit.
enum DailyLimit {
    static let window: TimeInterval = 24 * 3600

    /// Whether adding `new` to the assistant's `booked` services keeps every window within `limitMinutes`.
    static func allows(_ new: ServiceTime, booked: [ServiceTime], limitMinutes: Int) -> Bool {
        let all = booked + [new]
        let limit = TimeInterval(limitMinutes * 60)
        // Only windows that contain part of the new service can change.
        for opening in all.map(\.start) where opening < new.end && opening.addingTimeInterval(window) > new.start {
            let closing = opening.addingTimeInterval(window)
            let worked = all.reduce(0) { $0 + $1.seconds(within: opening, closing) }
            if worked > limit { return false }
        }
        return true
    }
}
