import Domain
import Foundation
import Testing

@testable import Timesheet

/// The contract's rules an entry is answered `invalid-entry` for, with the field named.
@Suite struct EntryValidityTests {
    static let cases: [(name: String, entry: TimesheetEntrySubmitted, mentions: [String]?)] = {
        var absurd = Fixture.entry()
        absurd.end = absurd.start.addingTimeInterval(30 * 3600)
        return [
            ("a valid entry", Fixture.entry(), nil),
            ("an end before the start", Fixture.entry(from: "06-01 12:00", to: "06-01 10:00"), ["data.end", "after the start"]),
            ("no time at all", Fixture.entry(from: "06-01 12:00", to: "06-01 12:00"), ["data.end", "after the start"]),
            ("30 hours", absurd, ["data.end", "24 hours"]),
            ("a void without a reason", Fixture.entry(sequence: 2, action: .void), ["data.reason", "a void needs a reason"]),
            ("a NUL in the entry id", Fixture.entry("E-\u{0}1"), ["data.entryID", "control characters"]),
            ("sequence zero", Fixture.entry(sequence: 0), ["data.sequence"]),
        ]
    }()

    @Test(arguments: cases.indices)
    func answers(_ index: Int) {
        let test = Self.cases[index]
        let problem = EntryValidity.problem(test.entry)
        #expect((problem == nil) == (test.mentions == nil), "\(test.name): \(problem ?? "valid")")
        for word in test.mentions ?? [] { #expect(problem?.contains(word) == true, "\(test.name): \(problem ?? "valid") should mention \(word)") }
    }
}
