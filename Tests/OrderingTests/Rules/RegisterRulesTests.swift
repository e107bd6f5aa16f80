import Domain
import Foundation
import TestSupport
import Testing

@testable import Ordering

/// Under a statute an assignment also needs the assistant unrelated to the person and
/// every required qualification valid on each day of the service; the programme asks neither.
@Suite("The register of assistants at assignment")
struct RegisterRulesTests {
    static let participant = ParticipantID("u-1")
    static let statute = AssistantRequirements(minimumAge: 18, qualifications: [.assistantCourse, .firstAid], mayBeRelated: false)
    /// Tuesday 4 May 2027, 09:00–12:00; the next, over midnight into 5 May.
    static let morning = service("2027-05-04 09:00", "2027-05-04 12:00")
    static let overnight = service("2027-05-04 22:00", "2027-05-05 02:00")

    static func assistant(
        _ register: [(QualificationKind, String, String?)] = [(.assistantCourse, "2027-01-10", nil), (.firstAid, "2027-02-01", "2029-01-31")],
        relatives: Set<ParticipantID> = [], excluded: Set<ParticipantID> = []
    ) -> AssistantProfile {
        AssistantProfile(
            id: AssistantID("a-1"), providerID: ProviderID("wsg-nadzieja"), skills: [.firstAid],
            availability: (1...7).map { WeeklySlot(weekday: $0, from: TimeOfDay("00:00")!, to: TimeOfDay("24:00")!) },
            excludedParticipants: excluded.union(relatives), relatives: relatives,
            qualifications: Dictionary(
                uniqueKeysWithValues: register.map { kind, from, until in
                    (
                        kind,
                        AssistantQualificationRecorded(
                            assistantID: AssistantID("a-1"), providerID: ProviderID("wsg-nadzieja"), kind: kind, obtainedOn: day(from),
                            validUntil: until.map(day))
                    )
                }))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var assistant: AssistantProfile
        var time: ServiceTime = RegisterRulesTests.morning
        var statute: Bool = true
        var refusal: Refusal?
        var testDescription: String { label }
    }

    @Test(arguments: [
        Case(label: "every qualification valid", assistant: assistant(), refusal: nil),
        Case(label: "no first-aid course", assistant: assistant([(.assistantCourse, "2027-01-10", nil)]), refusal: .assistantNotQualified),
        Case(
            label: "first aid obtained the day after the service",
            assistant: assistant([(.assistantCourse, "2027-01-10", nil), (.firstAid, "2027-05-05", nil)]), refusal: .assistantNotQualified),
        Case(
            label: "first aid ended the day before",
            assistant: assistant([(.assistantCourse, "2027-01-10", nil), (.firstAid, "2025-05-04", "2027-05-03")]), refusal: .qualificationExpired),
        Case(
            label: "first aid valid through the service's day",
            assistant: assistant([(.assistantCourse, "2027-01-10", nil), (.firstAid, "2025-05-04", "2027-05-04")]), refusal: nil),
        Case(
            label: "first aid ending at the midnight an overnight service crosses",
            assistant: assistant([(.assistantCourse, "2027-01-10", nil), (.firstAid, "2025-05-04", "2027-05-04")]), time: overnight,
            refusal: .qualificationExpired),
        Case(label: "the person's relative", assistant: assistant(relatives: [participant]), refusal: .assistantRelated),
        Case(label: "the person's guardian, not family", assistant: assistant(excluded: [participant]), refusal: .assistantExcluded),
        Case(
            label: "under the programme a relative is excluded as before", assistant: assistant(relatives: [participant]), statute: false,
            refusal: .assistantExcluded),
        Case(label: "under the programme no register is asked", assistant: assistant([]), statute: false, refusal: nil),
    ])
    func refusal(_ c: Case) {
        let order = OrderDemand(
            participantID: Self.participant, time: c.time, requiredSkills: [], requirements: c.statute ? Self.statute : nil)
        #expect(AssignmentRules.refusal(assigning: c.assistant, to: order, booked: [], dailyLimitHours: 12) == c.refusal)
    }

    @Test func suggestionsLeaveOutWhoTheStatuteRefuses() {
        let order = OrderDemand(participantID: Self.participant, time: Self.morning, requiredSkills: [], requirements: Self.statute)
        var unqualified = Self.assistant([])
        unqualified.id = AssistantID("a-2")
        let suggested = AssignmentRules.suggestions(for: order, candidates: [(Self.assistant(), []), (unqualified, [])], dailyLimitHours: 12)
        #expect(suggested.map(\.assistant.id) == [AssistantID("a-1")])
    }
}
