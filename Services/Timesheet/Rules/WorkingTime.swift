import Domain
import FoundationEssentials

/// Overlaps between entries. (The assistant's hours in any 24 hours are the
/// programme's `DailyLimit`, shared with ordering.)
///
/// The check takes an assistant's or participant's counted entries as they are,
/// with the key of the entry being replaced (it does not count against itself),
/// and read their fields in place: copying the entries out, once per decision,
/// had been most of the ledger's cost.
enum WorkingTime {
    /// The first entry of `others` (but `excluded`) that overlaps `span` by more than
    /// `allowance` seconds, with the overlap; the earliest such one, so the message is stable.
    static func firstOverlap(
        of span: WorkSpan, in others: [CountedEntry], excluding excluded: EntryKey?,
        allowance: TimeInterval
    ) -> (entry: CountedEntry, seconds: TimeInterval)? {
        var found: (index: Int, seconds: TimeInterval)?
        for index in others.indices where others[index].key != excluded {
            let seconds = span.overlap(with: others[index].span)
            guard seconds > allowance else { continue }
            if let current = found, (others[current.index].start, others[current.index].key) <= (others[index].start, others[index].key) { continue }
            found = (index, seconds)
        }
        return found.map { (others[$0.index], $0.seconds) }
    }
}
