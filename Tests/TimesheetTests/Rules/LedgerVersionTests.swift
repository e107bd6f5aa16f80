import Domain
import Foundation
import TestSupport
import Testing

@testable import Timesheet

/// Corrections, voids and sequences: how later versions of one entry are answered.
@Suite struct LedgerVersionTests {
    @Test func aHigherSequenceCorrectsTheAcceptedEntry() throws {
        var ledger = Fixture.ledger()
        guard case let .accepted(first, remaining) = ledger.decide(Fixture.entry()) else {
            Issue.record("not accepted")
            return
        }
        #expect(remaining == 600 - 120)
        let verdict = ledger.decide(Fixture.entry(sequence: 2, from: "06-01 10:30", to: "06-01 13:00"))
        guard case let .corrected(entry, previous, left) = verdict else {
            Issue.record("\(verdict)")
            return
        }
        #expect(previous == first)
        #expect(entry.sequence == 2 && entry.minutes == 150)
        // The correction replaces the first version: it neither overlaps it nor adds to it.
        #expect(left == 600 - 150)
        #expect(ledger.usedMinutes.values.reduce(0, +) == 150)
        // What storage must add: the correction's 150 minutes, not 120 + 150.
        #expect(ledger.usageChanges == [Ledger.ParticipantEdition(participantID: entry.participantID, editionID: entry.editionID): 150])
    }

    @Test func aRejectedCorrectionLeavesTheAcceptedVersionCounting() {
        var ledger = Fixture.ledger()
        _ = ledger.decide(Fixture.entry())
        #expect(ledger.decide(Fixture.entry(sequence: 2, from: "06-01 07:00", to: "06-01 09:00")).code == .outsideOrder)
        let void = ledger.decide(Fixture.entry(sequence: 3, action: .void, reason: "not delivered"))
        guard case let .voided(previous, remaining) = void else {
            Issue.record("\(void)")
            return
        }
        #expect(previous.sequence == 1 && previous.minutes == 120)
        #expect(remaining == 600)
    }

    @Test func aVoidWithdrawsTheEntryForGood() {
        var ledger = Fixture.ledger()
        _ = ledger.decide(Fixture.entry())
        #expect(ledger.decide(Fixture.entry(sequence: 2, action: .void, reason: "duplicate of E-2")).code == nil)
        #expect(ledger.usedMinutes.values.reduce(0, +) == 0)
        #expect(ledger.decide(Fixture.entry(sequence: 3)).code == .entryVoided)
        #expect(ledger.decide(Fixture.entry(sequence: 4, action: .void, reason: "again")).code == .entryVoided)
        // The freed time can be used by another entry.
        #expect(ledger.decide(Fixture.entry("E-2")).code == nil)
    }

    @Test func outOfOrderSequencesKeepTheNewest() {
        var ledger = Fixture.ledger()
        guard case let .accepted(entry, _) = ledger.decide(Fixture.entry(sequence: 2, from: "06-01 10:00", to: "06-01 11:00")) else {
            Issue.record("not accepted")
            return
        }
        #expect(entry.sequence == 2)
        #expect(ledger.decide(Fixture.entry(sequence: 1, from: "06-01 10:00", to: "06-01 12:00")).code == .staleSequence)
        #expect(ledger.usedMinutes.values.reduce(0, +) == 60)
    }

    @Test func aRejectedEntryCanBeSentAgainWithAHigherSequence() {
        var ledger = Fixture.ledger()
        #expect(ledger.decide(Fixture.entry(assistant: Fixture.a2)).code == .orderNotAssigned)
        guard case .accepted = ledger.decide(Fixture.entry(sequence: 2)) else {
            Issue.record("not accepted")
            return
        }
    }

    @Test func aCorrectionTouchingAClosedMonthNeedsAReason() {
        var ledger = Fixture.ledger()
        ledger.seed(Fixture.counted("E-1", participant: Fixture.u1, from: "05-10 10:00", to: "05-10 11:00"))
        let withoutReason = ledger.decide(Fixture.entry(sequence: 2, order: "o-may", from: "05-10 10:00", to: "05-10 10:30"))
        #expect(withoutReason.code == .monthClosed)
        if case let .rejected(_, message) = withoutReason { #expect(message.contains("needs a reason")) }
        // Moving it out of the closed month needs one too: the closed month's figures change.
        #expect(ledger.decide(Fixture.entry(sequence: 3)).code == .monthClosed)
        let verdict = ledger.decide(
            Fixture.entry(sequence: 4, order: "o-may", from: "05-10 10:00", to: "05-10 10:30", reason: "the visit ended early"))
        guard case let .corrected(entry, previous, _) = verdict else {
            Issue.record("\(verdict)")
            return
        }
        #expect(previous.minutes == 60 && entry.minutes == 30 && entry.month == YearMonth("2022-05"))
        // The stored 60 minutes become 30: storage moves by -30.
        #expect(ledger.usageChanges == [Ledger.ParticipantEdition(participantID: Fixture.u1, editionID: entry.editionID): -30])
    }

    @Test func theBatchSeesWhatItAcceptedEarlier() {
        var ledger = Fixture.ledger()
        #expect(ledger.decide(Fixture.entry("E-1", from: "06-01 10:00", to: "06-01 12:00")).code == nil)
        #expect(
            ledger.decide(Fixture.entry("E-2", order: "o-3", participant: Fixture.u2, from: "06-01 11:00", to: "06-01 12:00")).code
                == .assistantOverlap)
        #expect(
            ledger.decide(Fixture.entry("E-3", assistant: Fixture.a2, order: "o-2", from: "06-01 11:00", to: "06-01 12:00")).code
                == .participantOverlap)
    }

    @Test func theDailyLimitCountsFromTheStartOfEachStretchOfWork() {
        var ledger = Fixture.ledger()
        ledger.grants[Fixture.u1] = [Fixture.grant(Fixture.u1, hours: 100)]
        ledger.grants[Fixture.u2] = [Fixture.grant(Fixture.u2, hours: 100)]
        #expect(ledger.decide(Fixture.entry("E-1", order: "o-week", from: "06-01 06:00", to: "06-01 12:00")).code == nil)
        #expect(ledger.decide(Fixture.entry("E-2", order: "o-week-u2", participant: Fixture.u2, from: "06-01 14:00", to: "06-01 20:00")).code == nil)
        // 13 hours from 06:00 on 1 June.
        #expect(ledger.decide(Fixture.entry("E-3", order: "o-week", from: "06-01 21:00", to: "06-01 22:00")).code == .assistantDailyLimit)
        // 06:00 the next day starts a new 24 hours; the window from 14:00 holds 7 hours.
        #expect(ledger.decide(Fixture.entry("E-4", order: "o-week", from: "06-02 06:00", to: "06-02 07:00")).code == nil)
        // A window may start at an earlier entry: from 14:00 on 1 June, 6 + 1 + 6 h = 13 h.
        #expect(
            ledger.decide(Fixture.entry("E-5", order: "o-week-u2", participant: Fixture.u2, from: "06-02 07:30", to: "06-02 13:30")).code
                == .assistantDailyLimit)
    }
}

@Suite("The 12-hours-in-24 limit at acceptance")
struct DailyLimitTests {
    /// Timesheet refuses exactly what the shared rule refuses, at the edition's limit:
    /// the booked spans are the assistant's accepted entries for another participant.
    @Test(arguments: DailyLimitCase.all)
    func limit(_ c: DailyLimitCase) {
        var ledger = Fixture.ledger()
        ledger.editions[Fixture.edition]?.assistantDailyLimitHours = c.limitHours
        ledger.grants[Fixture.u1] = [Fixture.grant(Fixture.u1, hours: 100)]
        let (booked, new) = c.spans(from: Fixture.at("06-01 00:00"))
        for (index, span) in booked.enumerated() {
            var entry = Fixture.counted("booked-\(index)", participant: Fixture.u2, from: "06-01 00:00", to: "06-01 00:00")
            (entry.start, entry.end) = (span.start, span.end)
            ledger.seed(entry)
        }
        var entry = Fixture.entry(order: "o-week")
        (entry.start, entry.end) = (new.start, new.end)
        #expect(ledger.decide(entry).code == (c.allowed ? nil : .assistantDailyLimit))
    }

    @Test func aFewSecondsOverNeverReadAsExactlyTheLimit() {
        var ledger = Fixture.ledger()
        ledger.grants[Fixture.u1] = [Fixture.grant(Fixture.u1, hours: 100)]
        var entry = Fixture.entry(order: "o-week", from: "06-01 08:00", to: "06-01 20:00")
        entry.end = entry.end.addingTimeInterval(1)
        guard case let .rejected(code, message) = ledger.decide(entry) else {
            Issue.record("accepted 12 h and 1 s")
            return
        }
        #expect(code == .assistantDailyLimit)
        #expect(message.contains("would work 12 h 1 min"), "\(message)")
    }
}
