import Domain

/// An assistant's week drawn on the server as SVG (the `week-grid` partial): a
/// column per day, the hours down the side, the weekly availability as pale
/// bands, the assigned visits as dark blocks and the order being assigned as a
/// dashed outline, so a coordinator sees at a glance whether it fits. Visits
/// that overlap (ordering's rules refuse them, so only data from before a rule
/// could show one) are red. The page lists the same visits in a table beside it.
struct WeekGrid: Sendable {
    struct Visit: Sendable {
        enum Kind: Sendable { case assigned, proposed }
        var orderID: String
        var date: CalendarDate
        var start: String
        var end: String
        var kind: Kind
        /// The other visits of the week it overlaps, as "środa 16:00–17:30".
        var clashes: [String] = []
    }

    struct Column: Sendable {
        var x: Int
        var middle: Int
        var label: String
    }

    struct Hour: Sendable {
        var y: Int
        var label: String
    }

    struct Block: Sendable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var fill: String
        var stroke: String
        var dash: String
        var text: String?
        var textX: Int
        var textY: Int
        var textFill: String
    }

    var id: String
    var title: String
    var description: String
    var height: Int
    var columns: [Column]
    var hours: [Hour]
    var bands: [Block]
    var blocks: [Block]

    static let left = 80
    static let columnWidth = 131
    static let top = 50
    static let hourHeight = 40

    /// Minutes since midnight of "HH:MM"; `nil` for anything else.
    static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 ? parts[0] * 60 + parts[1] : nil
    }

    /// A visit's minutes within its first day: one that ends past midnight is drawn to the day's end.
    static func span(_ visit: Visit) -> (start: Int, end: Int)? {
        guard let start = minutes(visit.start), let end = minutes(visit.end) else { return nil }
        return (start, end > start ? end : 24 * 60)
    }

    /// 1 for the week's Monday … 7 for its Sunday; `nil` outside the week.
    static func weekday(of date: CalendarDate, from monday: CalendarDate) -> Int? {
        (1...7).first { monday.adding(days: $0 - 1) == date }
    }

    /// Each visit with the others of the week it overlaps.
    static func markingClashes(_ visits: [Visit]) -> [Visit] {
        let spans = visits.map { visit in span(visit).map { (visit.date, $0.start, $0.end) } }
        return visits.enumerated().map { index, visit in
            var marked = visit
            guard let (day, start, end) = spans[index] else { return marked }
            for (other, span) in spans.enumerated() where other != index {
                guard let (otherDay, otherStart, otherEnd) = span, otherDay == day, otherStart < end, start < otherEnd else { continue }
                marked.clashes.append("\(PolishText.day(visits[other].date.description)) \(visits[other].start)–\(visits[other].end)")
            }
            return marked
        }
    }

    init(id: String, monday: CalendarDate, availability: [ServiceRecords.Assistant.Slot], visits: [Visit]) {
        let spans =
            visits.compactMap(Self.span)
            + availability.compactMap { slot in
                Self.minutes(slot.from).flatMap { from in Self.minutes(slot.to).map { (start: from, end: $0) } }
            }
        let first = min(6, (spans.map(\.start).min() ?? 6 * 60) / 60)
        let last = max(22, ((spans.map(\.end).max() ?? 22 * 60) + 59) / 60)
        let y = { (minute: Int) in Self.top + (minute - first * 60) * Self.hourHeight / 60 }
        let x = { (weekday: Int) in Self.left + (weekday - 1) * Self.columnWidth }
        self.id = id
        title = "Tydzień od \(PolishText.day(monday.description)) do \(PolishText.day(monday.adding(days: 6).description))"
        height = y(last * 60) + 14
        columns = (1...7).map { weekday in
            let day = monday.adding(days: weekday - 1)
            let short = Labels.weekdays[weekday - 1].prefix(3)
            return Column(x: x(weekday), middle: x(weekday) + Self.columnWidth / 2, label: "\(short) \(day.day).\(day.month)")
        }
        hours = (first...last).map { Hour(y: y($0 * 60), label: "\($0):00") }
        bands = availability.compactMap { slot in
            guard (1...7).contains(slot.weekday), let from = Self.minutes(slot.from), let to = Self.minutes(slot.to), to > from else { return nil }
            return Block(
                x: x(slot.weekday), y: y(from), width: Self.columnWidth, height: y(to) - y(from), fill: "#e3eef8", stroke: "none", dash: "none",
                text: nil, textX: 0, textY: 0, textFill: "#1b1b1b")
        }
        blocks = visits.compactMap { visit in
            guard let (start, end) = Self.span(visit) else { return nil }
            guard let weekday = Self.weekday(of: visit.date, from: monday) else { return nil }
            let clash = !visit.clashes.isEmpty
            let proposed = visit.kind == .proposed
            let top = y(start)
            let height = max(y(end) - top, 8)
            return Block(
                x: x(weekday) + 6, y: top, width: Self.columnWidth - 12, height: height,
                fill: proposed ? "#ffffff" : clash ? "#b00020" : "#0b4f8a", stroke: proposed ? "#1b1b1b" : "none",
                dash: proposed ? "8 5" : "none", text: height >= 26 ? "\(visit.start)–\(visit.end)" : nil, textX: x(weekday) + 12,
                textY: top + 22, textFill: proposed ? "#1b1b1b" : "#ffffff")
        }
        let listed = visits.map { visit in
            "\(PolishText.day(visit.date.description)) \(visit.start)–\(visit.end)"
                + (visit.kind == .proposed ? " (zamówienie do przydzielenia)" : "") + (visit.clashes.isEmpty ? "" : " (nakłada się z inną wizytą)")
        }
        description =
            title + ". Dostępność: " + Labels.availability(availability) + ". Wizyty: " + (listed.isEmpty ? "brak" : listed.joined(separator: "; "))
            + "."
    }
}
