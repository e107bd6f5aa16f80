import Foundation

/// Time arithmetic of the rules: overlaps between entries and the assistant's
/// hours in any 24 hours counted from the start of work (the 2024 rule).
///
/// Both checks take an assistant's or participant's counted entries as they are,
/// with the key of the entry being replaced (it does not count against itself),
/// and read their fields in place: copying the entries out, once per decision,
/// had been most of the ledger's cost.
enum WorkingTime {
    /// Seconds two intervals share (0 when they only touch or are apart).
    static func overlap(_ a: (start: Date, end: Date), _ b: (start: Date, end: Date)) -> TimeInterval {
        max(0, min(a.end, b.end).timeIntervalSince(max(a.start, b.start)))
    }

    /// The first entry of `others` (but `excluded`) that overlaps `span` by more than
    /// `allowance` seconds, with the overlap; the earliest such one, so the message is stable.
    static func firstOverlap(of span: (start: Date, end: Date), in others: [CountedEntry], excluding excluded: EntryKey?,
                             allowance: TimeInterval) -> (entry: CountedEntry, seconds: TimeInterval)? {
        var found: (index: Int, seconds: TimeInterval)?
        for index in others.indices where others[index].key != excluded {
            let seconds = overlap(span, (others[index].start, others[index].end))
            guard seconds > allowance else { continue }
            if let current = found, (others[current.index].start, others[current.index].key) <= (others[index].start, others[index].key) { continue }
            found = (index, seconds)
        }
        return found.map { (others[$0.index], $0.seconds) }
    }

    /// The 24-hour window with the most minutes of work that includes `span`,
    /// if its minutes exceed `limitMinutes`. Windows start at the start of one of
    /// the entries (the candidate's or another's); each entry counts only with the
    /// part of it inside the window.
    static func busiestWindow(with span: (start: Date, end: Date), others: [CountedEntry], excluding excluded: EntryKey? = nil,
                              limitMinutes: Int) -> (start: Date, minutes: Int)? {
        let day: TimeInterval = 24 * 3600
        // Only entries that can share a window with the candidate matter.
        let (low, high) = (span.start.addingTimeInterval(-day), span.end.addingTimeInterval(day))
        var spans = [span]
        for index in others.indices where others[index].key != excluded && others[index].end > low && others[index].start < high {
            spans.append((others[index].start, others[index].end))
        }
        let starts = spans.map(\.start).filter { $0 < span.end && $0.addingTimeInterval(day) > span.start }
        var worst: (start: Date, minutes: Int)?
        for windowStart in Set(starts) {
            let windowEnd = windowStart.addingTimeInterval(day)
            let seconds = spans.reduce(0.0) { $0 + overlap(($1.start, $1.end), (windowStart, windowEnd)) }
            let minutes = Int(seconds / 60)
            if minutes > limitMinutes, worst == nil || minutes > worst!.minutes || (minutes == worst!.minutes && windowStart < worst!.start) {
                worst = (windowStart, minutes)
            }
        }
        return worst
    }
}
