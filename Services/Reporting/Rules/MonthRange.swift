import Domain

/// The months a report covers. Reports count whole months, because hours are
/// closed and corrected by month: `from` must be a month's first day (or a bare
/// `YYYY-MM`), `to` a month's last day (or `YYYY-MM`).
struct MonthRange: Hashable, Sendable, Codable {
    var from: YearMonth
    var to: YearMonth

    init(from: YearMonth, to: YearMonth) {
        self.from = from
        self.to = to
    }

    /// Every month from `from` to `to`, in order.
    var months: [YearMonth] { from.through(to) }

    func contains(_ month: YearMonth) -> Bool { from <= month && month <= to }

    var firstDay: CalendarDate { from.firstDay }
    var lastDay: CalendarDate { to.lastDay }

    enum Problem: Error, Equatable, Sendable {
        case unreadable(field: String)
        case notMonthStart(field: String)
        case notMonthEnd(field: String)
        case reversed
    }

    /// Reads the `from` and `to` query parameters; absent ones default to the edition's period.
    static func parse(from: String?, to: String?, edition period: DateRange) throws(Problem) -> MonthRange {
        let start: YearMonth
        if let from {
            if let month = YearMonth(from) {
                start = month
            } else if let day = CalendarDate(from) {
                guard day.day == 1 else { throw .notMonthStart(field: "from") }
                start = day.yearMonth
            } else {
                throw .unreadable(field: "from")
            }
        } else {
            start = period.start.yearMonth
        }
        let end: YearMonth
        if let to {
            if let month = YearMonth(to) {
                end = month
            } else if let day = CalendarDate(to) {
                guard day == day.yearMonth.lastDay else { throw .notMonthEnd(field: "to") }
                end = day.yearMonth
            } else {
                throw .unreadable(field: "to")
            }
        } else {
            end = period.end.yearMonth
        }
        guard start <= end else { throw .reversed }
        return MonthRange(from: start, to: end)
    }
}
