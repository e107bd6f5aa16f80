import Domain

/// A statutory grant's hours month by month, as people count them: the month in
/// focus (today's, or the grant's first or last when today lies outside it) with
/// what the month before carried in, then the months after it. Built from
/// ordering's allowance (`monthly`); shown on the participant's home and on MOPS's
/// participant page through the `monthly-hours` partial.
struct MonthlyHours: Sendable {
    struct Row: Sendable {
        var month: String
        var available: String
        var carriedIn: String
        var booked: String
        var used: String
        var left: String
    }

    var perMonth: String
    /// The focus month: the first of `rows`, for the sentence above the table.
    var current: Row
    /// The focus month and up to five after it, for the table.
    var rows: [Row]
    var lapses: String

    init?(_ monthly: ServiceRecords.Allowance.Monthly?, today: CalendarDate) {
        guard let monthly, !monthly.months.isEmpty else { return nil }
        let months = monthly.months
        let focus = months.firstIndex { $0.month >= today.yearMonth.description } ?? months.count - 1
        func row(_ line: ServiceRecords.Allowance.Month) -> Row {
            Row(
                month: (YearMonth(line.month).map(PolishText.month) ?? line.month).capitalizedFirst,
                available: PolishText.hours(line.availableMinutes),
                carriedIn: PolishText.hours(line.carriedInMinutes), booked: PolishText.hours(line.reservedMinutes),
                used: PolishText.hours(line.deliveredMinutes), left: PolishText.hours(line.remainingMinutes))
        }
        perMonth = PolishText.hours(monthly.hoursPerMonth * 60)
        rows = months[focus..<min(focus + 6, months.count)].map(row)
        current = rows[0]
        lapses =
            (monthly.carryOver
                ? "Niewykorzystane godziny przechodzą na następny miesiąc. " : "Niewykorzystane godziny nie przechodzą na następny miesiąc. ")
            + "Godziny niewykorzystane do \(PolishText.day(monthly.lapsesAfter)) przepadają"
            + (monthly.lapsingMinutes > 0 ? " (dziś byłoby to \(PolishText.hours(monthly.lapsingMinutes)))." : ".")
    }
}
