import Domain

/// A statutory grant's months, in minutes: each month of the period gets the same
/// budget; what a month leaves unused is carried into the next (when the grant
/// carries over) and what the last month leaves lapses when the grant ends.
///
/// A month's use counts each of its orders once, by the month the service starts
/// in (Polish time): an order reserves its minutes until timesheet accounts hours
/// for it, and from then on counts those. A month that used more than it had
/// (timesheet accounted more than was ordered) carries nothing and owes nothing.
///
/// April: 120 h, 100 h used → May has 120 + 20 = 140 h.
struct MonthlyBudget: Hashable, Sendable {
    var minutesPerMonth: Int
    var carryOver: Bool
    /// The grant's months, first to last: the period's, cut at a revocation.
    var months: [YearMonth]

    struct Use: Hashable, Sendable {
        var reservedMinutes = 0
        var deliveredMinutes = 0
        var minutes: Int { reservedMinutes + deliveredMinutes }
    }

    struct Month: Hashable, Codable, Sendable {
        var month: YearMonth
        var budgetMinutes: Int
        var carriedInMinutes: Int
        var reservedMinutes: Int
        var deliveredMinutes: Int
        var availableMinutes: Int { budgetMinutes + carriedInMinutes }
        var remainingMinutes: Int { availableMinutes - reservedMinutes - deliveredMinutes }

        private enum CodingKeys: String, CodingKey {
            case month, budgetMinutes, carriedInMinutes, reservedMinutes, deliveredMinutes, availableMinutes, remainingMinutes
        }

        init(month: YearMonth, budgetMinutes: Int, carriedInMinutes: Int, reservedMinutes: Int, deliveredMinutes: Int) {
            self.month = month
            self.budgetMinutes = budgetMinutes
            self.carriedInMinutes = carriedInMinutes
            self.reservedMinutes = reservedMinutes
            self.deliveredMinutes = deliveredMinutes
        }

        /// With the figures worked out from the others, for whoever reads the allowance.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(month, forKey: .month)
            try container.encode(budgetMinutes, forKey: .budgetMinutes)
            try container.encode(carriedInMinutes, forKey: .carriedInMinutes)
            try container.encode(reservedMinutes, forKey: .reservedMinutes)
            try container.encode(deliveredMinutes, forKey: .deliveredMinutes)
            try container.encode(availableMinutes, forKey: .availableMinutes)
            try container.encode(remainingMinutes, forKey: .remainingMinutes)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                month: try container.decode(YearMonth.self, forKey: .month), budgetMinutes: try container.decode(Int.self, forKey: .budgetMinutes),
                carriedInMinutes: try container.decode(Int.self, forKey: .carriedInMinutes),
                reservedMinutes: try container.decode(Int.self, forKey: .reservedMinutes),
                deliveredMinutes: try container.decode(Int.self, forKey: .deliveredMinutes))
        }
    }

    init(hoursPerMonth: Int, carryOver: Bool, from first: CalendarDate, to last: CalendarDate) {
        minutesPerMonth = hoursPerMonth * 60
        self.carryOver = carryOver
        months = first.yearMonth.through(last.yearMonth)
    }

    /// Every month with its budget, what it carried in and what it used.
    func ledger(_ use: [YearMonth: Use]) -> [Month] {
        var carried = 0
        return months.map { month in
            let used = use[month] ?? Use()
            let line = Month(
                month: month, budgetMinutes: minutesPerMonth, carriedInMinutes: carried, reservedMinutes: used.reservedMinutes,
                deliveredMinutes: used.deliveredMinutes)
            carried = carryOver ? max(0, line.remainingMinutes) : 0
            return line
        }
    }

    /// What lapses when the grant ends: the last month's unused minutes.
    func lapsingMinutes(_ use: [YearMonth: Use]) -> Int { Self.lapsing(ledger(use)) }

    /// The same, from a ledger already worked out.
    static func lapsing(_ ledger: [Month]) -> Int { max(0, ledger.last?.remainingMinutes ?? 0) }

    /// Whether `minutes` more in `month` fit: that month and every later one whose
    /// carried-in minutes they reduce must keep what they already use. A month short
    /// before (timesheet accounted more) may stay short, but not become shorter.
    func admits(minutes: Int, in month: YearMonth, _ use: [YearMonth: Use]) -> Bool {
        guard months.contains(month) else { return false }
        var more = use
        more[month, default: Use()].reservedMinutes += minutes
        return zip(ledger(use), ledger(more)).allSatisfy { before, after in
            after.remainingMinutes >= 0 || after.remainingMinutes == before.remainingMinutes
        }
    }
}
