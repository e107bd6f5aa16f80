import Foundation

/// Time arithmetic of the rules: overlaps between entries and the assistant's
/// hours in any 24 hours counted from the start of work (the 2024 rule).
enum WorkingTime {
    /// Seconds two intervals share (0 when they only touch or are apart).
    static func overlap(_ a: (start: Date, end: Date), _ b: (start: Date, end: Date)) -> TimeInterval {
        max(0, min(a.end, b.end).timeIntervalSince(max(a.start, b.start)))
    }

    /// The first entry of `others` that overlaps `span` by more than `allowance`
    /// seconds, with the overlap; the earliest such one, so the message is stable.
    static func firstOverlap(of span: (start: Date, end: Date), in others: [CountedEntry], allowance: TimeInterval) -> (entry: CountedEntry, seconds: TimeInterval)? {
        var found: (entry: CountedEntry, seconds: TimeInterval)?
        for other in others {
            let seconds = overlap(span, (other.start, other.end))
            guard seconds > allowance else { continue }
            if found == nil || (other.start, other.key) < (found!.entry.start, found!.entry.key) {
                found = (other, seconds)
            }
        }
        return found
    }

    /// The 24-hour window with the most minutes of work that includes `span`,
    /// if its minutes exceed `limitMinutes`. Windows start at the start of one of
    /// the entries (the candidate's or another's); each entry counts only with the
    /// part of it inside the window.
    static func busiestWindow(with span: (start: Date, end: Date), others: [CountedEntry], limitMinutes: Int) -> (start: Date, minutes: Int)? {
        let day: TimeInterval = 24 * 3600
        // Only entries that can share a window with the candidate matter.
        let near = others.filter { $0.end > span.start.addingTimeInterval(-day) && $0.start < span.end.addingTimeInterval(day) }
        let spans = near.map { ($0.start, $0.end) } + [span]
        let starts = spans.map(\.0).filter { $0 < span.end && $0.addingTimeInterval(day) > span.start }
        var worst: (start: Date, minutes: Int)?
        for windowStart in Set(starts) {
            let windowEnd = windowStart.addingTimeInterval(day)
            let seconds = spans.reduce(0.0) { $0 + overlap(($1.0, $1.1), (windowStart, windowEnd)) }
            let minutes = Int(seconds / 60)
            if minutes > limitMinutes, worst == nil || minutes > worst!.minutes || (minutes == worst!.minutes && windowStart < worst!.start) {
                worst = (windowStart, minutes)
            }
        }
        return worst
    }
}
