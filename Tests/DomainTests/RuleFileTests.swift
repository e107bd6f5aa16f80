import Foundation
import TestSupport
import Testing

@testable import Domain

/// A rule file an operator edits is checked field by field at start: each problem is
/// named by its path in the file, and every one is reported at once.
@Suite struct RuleFileTests {
    static func rules(_ file: String) throws -> EditionRules {
        try JSONDecoder().decode(EditionRules.self, from: Data(Repository.bytes("deploy/editions/\(file).json")))
    }

    @Test func theShippedFilesAreSound() throws {
        for file in ["2022", "2023", "2024", "2025", "2026", "ustawa-2027"] {
            #expect(try Self.rules(file).problems == [], "\(file)")
        }
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var label: String
        var change: @Sendable (inout EditionRules) -> Void
        var fields: [String]
        var testDescription: String { label }
    }

    @Test(arguments: [
        Broken(
            label: "a statute with annual caps",
            change: { $0.annualHourCaps = HourCaps(significantMultiple: 1, significant: 1, moderateMultiple: 1, moderate: 1, child: 1) },
            fields: ["annualHourCaps"]),
        Broken(
            label: "a youth maximum below the minimum", change: { $0.statute!.monthlyHours.youthMaximum = 10 },
            fields: ["statute.monthlyHours.youthMaximum"]),
        Broken(
            label: "maxima out of date order", change: { $0.statute!.monthlyHours.adultMaximum.steps.swapAt(0, 2) },
            fields: ["statute.monthlyHours.adultMaximum[1].from", "statute.monthlyHours.adultMaximum[2].from"]),
        Broken(
            label: "a score over 100 and no maximum at all",
            change: {
                $0.statute!.minimumSupportScore = Phased([.init(from: CalendarDate("2027-04-01")!, value: 120)])
                $0.statute!.monthlyHours.adultMaximum = Phased([])
            }, fields: ["statute.minimumSupportScore[0].value", "statute.monthlyHours.adultMaximum"]),
        Broken(label: "a deadline on the 31st", change: { $0.statute!.settlementDeadlineDay = 31 }, fields: ["statute.settlementDeadlineDay"]),
        Broken(
            label: "a decision of 20 years and no sources",
            change: {
                $0.statute!.decisionValidityMonths = 240
                $0.statute!.sources = []
            }, fields: ["statute.sources", "statute.decisionValidityMonths"]),
        Broken(label: "youth and adult bands overlapping", change: { $0.statute!.adultAgeBand.minimumAge = 16 }, fields: ["childAgeBand.maximumAge"]),
        Broken(label: "a programme edition without its caps", change: { $0.statute = nil }, fields: ["annualHourCaps"]),
    ])
    func brokenStatute(_ c: Broken) throws {
        var rules = try Self.rules("ustawa-2027")
        c.change(&rules)
        #expect(rules.problems.map(\.field) == c.fields, "\(rules.problems)")
    }

    @Test func aPhasedFigureIsTheStepInForceThatDay() throws {
        let maximum = try Self.rules("ustawa-2027").statute!.monthlyHours.adultMaximum
        #expect(maximum.value(on: CalendarDate("2027-04-01")!) == 200)
        #expect(maximum.value(on: CalendarDate("2027-12-31")!) == 200)
        #expect(maximum.value(on: CalendarDate("2028-01-01")!) == 220)
        #expect(maximum.value(on: CalendarDate("2035-06-30")!) == 240)
        // Before its first step a figure is the first step's, never undefined.
        #expect(maximum.value(on: CalendarDate("2026-06-30")!) == 200)
    }
}
