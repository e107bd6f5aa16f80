import FoundationEssentials

/// A stretch of an assistant's work, from `start` up to (not including) `end`.
public struct WorkSpan: Hashable, Sendable {
    public var start: Date
    public var end: Date

    @inlinable
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Seconds this span shares with `other` (0 when they only touch or are apart).
    @inlinable
    public func overlap(with other: WorkSpan) -> TimeInterval {
        max(0, min(end, other.end).timeIntervalSince(max(start, other.start)))
    }
}

/// The programme's rule on an assistant's working time: at most the edition's
/// `assistantDailyLimitHours` in any 24 hours counted from the start of work,
/// across all participants. Ordering applies it when it assigns an assistant and
/// timesheet when it accepts an entry; both call this one function, so the two
/// cannot disagree and a new edition's rule changes in one place.
public enum DailyLimit {
    /// How long a window lasts; work further apart than this never shares one.
    public static let window: TimeInterval = 24 * 3600

    /// The 24-hour window with the most work that includes `span`, when that work
    /// exceeds `limitHours`; nil when every such window stays within the limit.
    ///
    /// A window opens at the start of a span (the new one's or another's) and lasts
    /// 24 hours; each span counts with the part of it inside the window. Work is
    /// counted to the second: exactly the limit passes, one second more does not.
    /// `others` may hold anything: only the spans near `span` are read, and the
    /// busiest window wins (the earliest of equals), so a message naming it is stable.
    @inlinable
    public static func busiestWindow(
        with span: WorkSpan, others: some Sequence<WorkSpan>, limitHours: Int
    )
        -> (start: Date, seconds: TimeInterval)?
    {
        let limit = TimeInterval(limitHours) * 3600
        let reach = WorkSpan(start: span.start.addingTimeInterval(-window), end: span.end.addingTimeInterval(window))
        var nearby = [span]
        for other in others where other.overlap(with: reach) > 0 { nearby.append(other) }
        var worst: (start: Date, seconds: TimeInterval)?
        // Only windows that contain part of `span` can change.
        for opening in Set(nearby.lazy.map(\.start)) where opening < span.end && opening.addingTimeInterval(window) > span.start {
            let open = WorkSpan(start: opening, end: opening.addingTimeInterval(window))
            let seconds = nearby.reduce(0) { $0 + $1.overlap(with: open) }
            guard seconds > limit else { continue }
            if let current = worst,
                (current.seconds, -current.start.timeIntervalSinceReferenceDate) >= (seconds, -opening.timeIntervalSinceReferenceDate)
            {
                continue
            }
            worst = (opening, seconds)
        }
        return worst
    }
}
