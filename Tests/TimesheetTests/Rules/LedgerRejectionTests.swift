import Domain
import Foundation
import Testing

@testable import Timesheet

/// Every reason an entry is refused, one row each, against the fixture's world.
@Suite struct LedgerRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var entry: TimesheetEntrySubmitted
        var seed: [CountedEntry] = []
        var history: [EntryKey: EntryHistory] = [:]
        var expected: TimesheetRejectionCode?
        /// Words the clerk's message must contain.
        var mentions: [String] = []
        /// When set, the edition is a statute's asking an assistant course and first aid, and this is a-1's register.
        var register: [Held]? = nil
        var testDescription: String { name }
    }

    struct Held: Sendable {
        var kind: QualificationKind
        var from: String
        var until: String?
    }

    static let key = EntryKey(providerID: Fixture.p1, entryID: "E-1")
    static let newYearEve: TimesheetEntrySubmitted = {
        var entry = Fixture.entry(order: "o-2023", from: "12-31 23:00", to: "12-31 23:30")
        entry.end = Timestamp.parse("2023-01-01T01:00:00+01:00")!
        return entry
    }()

    static let cases: [Case] = [
        Case(name: "a valid entry is accepted", entry: Fixture.entry(), expected: nil),
        Case(
            name: "under a statute, with the register complete", entry: Fixture.entry(), expected: nil,
            register: [Held(kind: .assistantCourse, from: "2022-01-10"), Held(kind: .firstAid, from: "2022-02-01", until: "2024-01-31")]),
        Case(
            name: "under a statute, without first aid", entry: Fixture.entry(), expected: .assistantNotQualified,
            mentions: ["first-aid", "2022-06-01", "qualifications/first-aid"], register: [Held(kind: .assistantCourse, from: "2022-01-10")]),
        Case(
            name: "under a statute, first aid obtained after the visit", entry: Fixture.entry(), expected: .assistantNotQualified,
            mentions: ["first-aid"], register: [Held(kind: .assistantCourse, from: "2022-01-10"), Held(kind: .firstAid, from: "2022-06-02")]),
        Case(
            name: "under a statute, first aid ended the day before", entry: Fixture.entry(), expected: .qualificationExpired,
            mentions: ["first-aid", "2022-05-31", "renewal"],
            register: [Held(kind: .assistantCourse, from: "2022-01-10"), Held(kind: .firstAid, from: "2020-06-01", until: "2022-05-31")]),
        Case(name: "unknown provider", entry: Fixture.entry(provider: ProviderID("ngo-x")), expected: .unknownProvider, mentions: ["ngo-x"]),
        Case(name: "unknown assistant", entry: Fixture.entry(assistant: AssistantID("a-x")), expected: .unknownAssistant, mentions: ["a-x"]),
        Case(
            name: "an assistant of another NGO", entry: Fixture.entry(assistant: Fixture.a9), expected: .unknownAssistant, mentions: ["a-9", "ngo-1"]),
        Case(name: "unknown order", entry: Fixture.entry(order: "o-x"), expected: .unknownOrder, mentions: ["o-x"]),
        Case(
            name: "a cancelled order", entry: Fixture.entry(order: "o-cancelled"), expected: .unknownOrder,
            mentions: ["cancelled", "2022-05-30 12:00"]),
        Case(name: "unknown participant", entry: Fixture.entry(participant: ParticipantID("u-x")), expected: .unknownParticipant, mentions: ["u-x"]),
        Case(
            name: "order assigned to another assistant", entry: Fixture.entry(assistant: Fixture.a2), expected: .orderNotAssigned,
            mentions: ["o-1", "a-1", "a-2"]),
        Case(name: "order assigned to nobody", entry: Fixture.entry(order: "o-unassigned"), expected: .orderNotAssigned, mentions: ["nobody"]),
        Case(name: "order of another participant", entry: Fixture.entry(participant: Fixture.u2), expected: .invalidEntry, mentions: ["u-1", "u-2"]),
        Case(
            name: "starts before the order", entry: Fixture.entry(from: "06-01 07:00", to: "06-01 09:00"), expected: .outsideOrder,
            mentions: ["2022-06-01 07:00–09:00", "08:00–20:00"]),
        Case(name: "ends after the order", entry: Fixture.entry(from: "06-01 19:00", to: "06-01 20:01"), expected: .outsideOrder),
        Case(name: "ends after the edition", entry: newYearEve, expected: .outsideEdition, mentions: ["2022-12-31"]),
        Case(
            name: "before the participant's grant", entry: Fixture.entry(order: "o-u3", participant: Fixture.u3), expected: .outsideEdition,
            mentions: ["2022-07-01"]),
        Case(
            name: "after the grant was revoked", entry: Fixture.entry(order: "o-u4", participant: Fixture.u4), expected: .outsideEdition,
            mentions: ["2022-05-31"]),
        Case(
            name: "a new entry in a closed month", entry: Fixture.entry(order: "o-may", from: "05-10 10:00", to: "05-10 11:00"),
            expected: .monthClosed, mentions: ["2022-05"]),
        Case(
            name: "the assistant is elsewhere", entry: Fixture.entry(), seed: [Fixture.counted("E-55", from: "06-01 11:15", to: "06-01 13:00")],
            expected: .assistantOverlap, mentions: ["a-1", "2022-06-01 11:15–13:00", "E-55", "45 minutes"]),
        Case(
            name: "a one-minute overlap is tolerated", entry: Fixture.entry(),
            seed: [Fixture.counted("E-55", from: "06-01 11:59", to: "06-01 13:00")], expected: nil),
        Case(
            name: "the participant has another assistant then", entry: Fixture.entry(),
            seed: [
                Fixture.counted("E-56", provider: Fixture.p2, assistant: Fixture.a9, participant: Fixture.u1, from: "06-01 08:00", to: "06-01 10:30")
            ],
            expected: .participantOverlap, mentions: ["u-1", "another provider", "30 minutes"]),
        Case(
            name: "more than 12 hours in 24 from the start of work", entry: Fixture.entry(from: "06-01 10:00", to: "06-01 12:30"),
            seed: [Fixture.counted("night", participant: Fixture.u2, from: "05-31 20:00", to: "06-01 06:00")],
            expected: .assistantDailyLimit, mentions: ["12 h 30 min", "2022-05-31 20:00", "12 h"]),
        Case(
            name: "exactly 12 hours in 24 is allowed", entry: Fixture.entry(from: "06-01 10:00", to: "06-01 12:00"),
            seed: [Fixture.counted("night", participant: Fixture.u2, from: "05-31 20:00", to: "06-01 06:00")], expected: nil),
        Case(
            name: "the allowance would be exceeded", entry: Fixture.entry(from: "06-01 10:00", to: "06-01 12:00"),
            seed: [Fixture.counted("earlier", participant: Fixture.u1, from: "06-02 08:00", to: "06-02 17:00")],
            expected: .allowanceExceeded, mentions: ["1 h left of 10 h", "2 h"]),
        Case(
            name: "an older sequence", entry: Fixture.entry(sequence: 2),
            history: [key: EntryHistory(highestSequence: 3, voidedBy: nil, counted: nil)],
            expected: .staleSequence, mentions: ["sequence 3", "above 3"]),
        Case(
            name: "anything after a void", entry: Fixture.entry(sequence: 4),
            history: [key: EntryHistory(highestSequence: 3, voidedBy: 3, counted: nil)],
            expected: .entryVoided, mentions: ["sequence 3"]),
        Case(
            name: "a void of an unknown entry", entry: Fixture.entry(action: .void, reason: "sent by mistake"), expected: .unknownEntry,
            mentions: ["E-1"]),
    ]

    @Test(arguments: cases)
    func decides(_ test: Case) {
        var ledger = Fixture.ledger()
        for entry in test.seed { ledger.seed(entry) }
        for (key, history) in test.history { ledger.histories[key] = history }
        if let register = test.register {
            ledger.editions[Fixture.edition]?.requiredQualifications = [.assistantCourse, .firstAid]
            for held in register {
                ledger.qualifications[Fixture.a1, default: [:]][held.kind] = AssistantQualificationRecorded(
                    assistantID: Fixture.a1, providerID: Fixture.p1, kind: held.kind, obtainedOn: CalendarDate(held.from)!,
                    validUntil: held.until.map { CalendarDate($0)! })
            }
        }
        let verdict = ledger.decide(test.entry)
        #expect(verdict.code == test.expected, "\(verdict)")
        if case let .rejected(_, message) = verdict {
            for word in test.mentions { #expect(message.contains(word), "\(message) should mention \(word)") }
        }
    }

    /// A bad signature and a reused CloudEvents id are decided before the
    /// ledger sees the entry (the signature check and the inbox).
    @Test func everyCodeButSignatureAndReusedIDHasARow() {
        let covered = Set(Self.cases.compactMap(\.expected))
        #expect(Set(TimesheetRejectionCode.allCases).subtracting(covered) == [.badSignature, .duplicateID])
    }

    @Test func theAssistantOverlapMessageTellsTheClerkWhatToDo() {
        var ledger = Fixture.ledger()
        ledger.seed(Fixture.counted("E-55", from: "06-01 10:00", to: "06-01 12:00"))
        let verdict = ledger.decide(Fixture.entry(from: "06-01 11:15", to: "06-01 13:00"))
        #expect(
            verdict
                == .rejected(
                    .assistantOverlap,
                    "The assistant a-1 already has an accepted entry 2022-06-01 10:00–12:00 (entry E-55) overlapping this one by 45 minutes; correct one of them."
                ))
    }
}
