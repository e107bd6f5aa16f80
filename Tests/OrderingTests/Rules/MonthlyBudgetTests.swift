import Domain
import Testing

@testable import Ordering

/// A statutory grant's months, figures computed by hand: 120 h a month is 7 200 minutes.
@Suite("Monthly budgets with carry-over")
struct MonthlyBudgetTests {
    static func month(_ text: String) -> YearMonth { YearMonth(text)! }
    static let april = month("2027-04"), may = month("2027-05"), june = month("2027-06")

    /// April to June 2027, 120 h a month, carrying over.
    static let quarter = MonthlyBudget(hoursPerMonth: 120, carryOver: true, from: day("2027-04-01"), to: day("2027-06-30"))

    static func hours(_ h: Int) -> MonthlyBudget.Use { MonthlyBudget.Use(reservedMinutes: 0, deliveredMinutes: h * 60) }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var carryOver = true
        var used: [String: Int]
        /// Hours available (budget + carried in) in April, May, June.
        var available: [Int]
        var lapsing: Int
        var testDescription: String { label }
    }

    @Test(arguments: [
        Case(label: "100 h used in April: May has 140, and June 120 + 140", used: ["2027-04": 100], available: [120, 140, 260], lapsing: 260),
        Case(label: "nothing used: it piles up to 360 in June, all lapsing", used: [:], available: [120, 240, 360], lapsing: 360),
        Case(
            label: "all used each month: nothing carries, nothing lapses", used: ["2027-04": 120, "2027-05": 120, "2027-06": 120],
            available: [120, 120, 120], lapsing: 0),
        Case(
            label: "May uses its 120 and April's 20: June has 120", used: ["2027-04": 100, "2027-05": 140], available: [120, 140, 120],
            lapsing: 120),
        Case(
            label: "April overdrawn by 10 (accounted over the order): May is not docked", used: ["2027-04": 130], available: [120, 120, 240],
            lapsing: 240),
        Case(
            label: "without carry-over every month has its own 120", carryOver: false, used: ["2027-04": 100], available: [120, 120, 120],
            lapsing: 120),
    ])
    func ledger(_ c: Case) {
        var budget = Self.quarter
        budget.carryOver = c.carryOver
        let use = Dictionary(uniqueKeysWithValues: c.used.map { (Self.month($0.key), Self.hours($0.value)) })
        let ledger = budget.ledger(use)
        #expect(ledger.map(\.month) == [Self.april, Self.may, Self.june])
        #expect(ledger.map { $0.availableMinutes / 60 } == c.available)
        #expect(budget.lapsingMinutes(use) == c.lapsing * 60)
    }

    struct Admission: Sendable, CustomTestStringConvertible {
        var label: String
        var used: [String: Int]
        var month: String
        var hours: Int
        var admitted: Bool
        var testDescription: String { label }
    }

    @Test(arguments: [
        Admission(label: "140 h in May after 100 h in April", used: ["2027-04": 100], month: "2027-05", hours: 140, admitted: true),
        Admission(label: "141 h in May after 100 h in April", used: ["2027-04": 100], month: "2027-05", hours: 141, admitted: false),
        Admission(
            label: "20 h more in April once May counts on April's 20",
            used: ["2027-04": 100, "2027-05": 140], month: "2027-04", hours: 20, admitted: false),
        Admission(
            label: "20 h more in April when May left room", used: ["2027-04": 100, "2027-05": 120], month: "2027-04", hours: 20,
            admitted: true),
        Admission(label: "a month after the grant", used: [:], month: "2027-07", hours: 1, admitted: false),
        Admission(label: "an overdrawn April may take nothing more", used: ["2027-04": 130], month: "2027-04", hours: 1, admitted: false),
    ])
    func admits(_ c: Admission) {
        let use = Dictionary(uniqueKeysWithValues: c.used.map { (Self.month($0.key), Self.hours($0.value)) })
        #expect(Self.quarter.admits(minutes: c.hours * 60, in: Self.month(c.month), use) == c.admitted)
    }

    @Test func aGrantStartingMidMonthHasThatMonthWhole() {
        let budget = MonthlyBudget(hoursPerMonth: 20, carryOver: true, from: day("2027-04-15"), to: day("2027-05-02"))
        #expect(budget.ledger([:]).map { [$0.month.description, "\($0.budgetMinutes)"] } == [["2027-04", "1200"], ["2027-05", "1200"]])
    }
}
