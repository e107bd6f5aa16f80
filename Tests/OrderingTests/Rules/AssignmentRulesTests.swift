import Domain
import Foundation
import TestSupport
import Testing

@testable import Ordering

@Suite("The 12-hours-in-24 limit at assignment")
struct DailyLimitTests {
    /// Ordering refuses exactly what the shared rule refuses, at the edition's limit.
    @Test(arguments: DailyLimitCase.all)
    func limit(_ c: DailyLimitCase) {
        let (booked, new) = c.spans(from: at("2024-05-06 00:00"))
        let order = OrderDemand(participantID: ParticipantID("u-1"), time: ServiceTime(start: new.start, end: new.end), requiredSkills: [])
        let refusal = AssignmentRules.refusal(
            assigning: AssignmentRulesTests.assistant, to: order, booked: booked.map { ServiceTime(start: $0.start, end: $0.end) },
            dailyLimitHours: c.limitHours)
        #expect(refusal == (c.allowed ? nil : .assistantDailyLimit))
    }
}

@Suite("Availability")
struct AvailabilityTests {
    static let weekdays = (1...5).map { WeeklySlot(weekday: $0, from: TimeOfDay("08:00")!, to: TimeOfDay("16:00")!) }
    static let nights = [
        WeeklySlot(weekday: 1, from: TimeOfDay("20:00")!, to: TimeOfDay("24:00")!),
        WeeklySlot(weekday: 2, from: TimeOfDay("00:00")!, to: TimeOfDay("06:00")!),
    ]
    static let split = [
        WeeklySlot(weekday: 1, from: TimeOfDay("08:00")!, to: TimeOfDay("12:00")!),
        WeeklySlot(weekday: 1, from: TimeOfDay("12:00")!, to: TimeOfDay("16:00")!),
    ]

    // 2024-05-06 is a Monday.
    @Test(
        arguments: [
            ("the whole slot", weekdays, service("2024-05-06 08:00", "2024-05-06 16:00"), true),
            ("starting a minute early", weekdays, service("2024-05-06 07:59", "2024-05-06 12:00"), false),
            ("ending a minute late", weekdays, service("2024-05-06 12:00", "2024-05-06 16:01"), false),
            ("on a Saturday", weekdays, service("2024-05-11 09:00", "2024-05-11 10:00"), false),
            (
                "on a Sunday with Sunday slot", [WeeklySlot(weekday: 7, from: TimeOfDay("09:00")!, to: TimeOfDay("12:00")!)],
                service("2024-05-12 09:00", "2024-05-12 12:00"), true
            ),
            ("across midnight with both slots", nights, service("2024-05-06 22:00", "2024-05-07 02:00"), true),
            ("across midnight missing the next day", [nights[0]], service("2024-05-06 22:00", "2024-05-07 02:00"), false),
            ("until midnight", [nights[0]], service("2024-05-06 20:00", "2024-05-06 24:00"), true),
            ("over two touching slots", split, service("2024-05-06 10:00", "2024-05-06 14:00"), true),
            ("no slots at all", [], service("2024-05-06 10:00", "2024-05-06 11:00"), false),
        ] as [(String, [WeeklySlot], ServiceTime, Bool)])
    func covers(_ name: String, slots: [WeeklySlot], time: ServiceTime, covered: Bool) {
        #expect(Availability.covers(slots, time) == covered, "\(name)")
    }
}

@Suite("Assignment rules")
struct AssignmentRulesTests {
    static let participant = ParticipantID("p-1")
    static let allWeek = (1...7).map { WeeklySlot(weekday: $0, from: .midnight, to: .endOfDay) }
    static let assistant = AssistantProfile(
        id: AssistantID("a-1"), providerID: ProviderID("wsg-nadzieja"), skills: [.signLanguage, .firstAid], availability: allWeek,
        excludedParticipants: [ParticipantID("p-sister")])
    static let order = OrderDemand(participantID: participant, time: service("2024-05-06 09:00", "2024-05-06 12:00"), requiredSkills: [.signLanguage])

    @Test(
        arguments: [
            ("all rules met", assistant, order, [], nil),
            (
                "a missing skill", assistant,
                OrderDemand(participantID: participant, time: order.time, requiredSkills: [.signLanguage, .guidingBlind]), [], .missingSkills
            ),
            (
                "no skills required",
                AssistantProfile(id: AssistantID("a-2"), providerID: ProviderID("x"), skills: [], availability: allWeek, excludedParticipants: []),
                OrderDemand(participantID: participant, time: order.time, requiredSkills: []), [], nil
            ),
            (
                "an excluded participant", assistant,
                OrderDemand(participantID: ParticipantID("p-sister"), time: order.time, requiredSkills: [.signLanguage]), [], .assistantExcluded
            ),
            (
                "outside availability",
                AssistantProfile(
                    id: AssistantID("a-3"), providerID: ProviderID("x"), skills: [.signLanguage],
                    availability: [WeeklySlot(weekday: 2, from: .midnight, to: .endOfDay)], excludedParticipants: []), order, [],
                .assistantUnavailable
            ),
            ("overlapping a booking", assistant, order, [service("2024-05-06 11:59", "2024-05-06 13:00")], .assistantBooked),
            ("touching a booking", assistant, order, [service("2024-05-06 12:00", "2024-05-06 13:00")], nil),
            ("over the daily limit", assistant, order, [service("2024-05-06 12:00", "2024-05-06 21:01")], .assistantDailyLimit),
        ] as [(String, AssistantProfile, OrderDemand, [ServiceTime], Refusal?)])
    func refusal(_ name: String, assistant: AssistantProfile, order: OrderDemand, booked: [ServiceTime], expected: Refusal?) {
        #expect(AssignmentRules.refusal(assigning: assistant, to: order, booked: booked, dailyLimitHours: 12) == expected, "\(name)")
    }

    @Test func suggestionsRankTheLeastBusyFirstAndLeaveOutWhoCannot() {
        func assistant(_ id: String, _ skills: Set<Skill>, excluded: Set<ParticipantID> = []) -> AssistantProfile {
            AssistantProfile(
                id: AssistantID(id), providerID: ProviderID("p"), skills: skills, availability: Self.allWeek, excludedParticipants: excluded)
        }
        let suggestions = AssignmentRules.suggestions(
            for: Self.order,
            candidates: [
                (assistant("busy", [.signLanguage]), booked: [service("2024-05-06 14:00", "2024-05-06 18:00")]),
                (assistant("free-many-skills", [.signLanguage, .driving, .firstAid]), booked: []),
                (assistant("free", [.signLanguage]), booked: []),
                (assistant("booked", [.signLanguage]), booked: [service("2024-05-06 10:00", "2024-05-06 11:00")]),
                (assistant("cannot-sign", [.driving]), booked: []),
                (assistant("family", [.signLanguage], excluded: [Self.participant]), booked: []),
            ], dailyLimitHours: 12)
        #expect(suggestions.map(\.assistant.id.rawValue) == ["free", "free-many-skills", "busy"])
        #expect(suggestions.map(\.nearbyMinutes) == [0, 0, 240])
        #expect(suggestions.allSatisfy { $0.continuity == .none })
    }

    struct ContinuityCase: Sendable, CustomTestStringConvertible {
        var name: String
        var history: AssignmentRules.History
        /// Assistant ids, best first, with each one's continuity.
        var expected: [(String, AssignmentRules.Continuity)]
        /// The assistant the participant asked for.
        var preferred: String? = nil
        var testDescription: String { name }
    }

    /// Three able assistants: "known" of NGO-A (busy nearby), "colleague" of NGO-A and
    /// "stranger" of NGO-B (both free).
    static let continuityCases: [ContinuityCase] = [
        ContinuityCase(
            name: "no history: the least busy first", history: .init(),
            expected: [("colleague", .none), ("stranger", .none), ("known", .none)]),
        ContinuityCase(
            name: "the assistant who served the participant comes first, though busier",
            history: .init(servicesByAssistant: [AssistantID("known"): 3], servicesByProvider: [ProviderID("ngo-a"): 3]),
            expected: [("known", .sameAssistant), ("colleague", .sameProvider), ("stranger", .none)]),
        ContinuityCase(
            name: "an assistant of the NGO that served them comes before another NGO's",
            history: .init(servicesByAssistant: [AssistantID("gone"): 2], servicesByProvider: [ProviderID("ngo-b"): 2]),
            expected: [("stranger", .sameProvider), ("colleague", .none), ("known", .none)]),
        ContinuityCase(
            name: "the assistant who served them is not among the able: their NGO's, even the busier, before another NGO's",
            history: .init(servicesByAssistant: [AssistantID("gone"): 2], servicesByProvider: [ProviderID("ngo-a"): 2]),
            expected: [("colleague", .sameProvider), ("known", .sameProvider), ("stranger", .none)]),
        ContinuityCase(
            name: "among those who served them, the one who served more",
            history: .init(
                servicesByAssistant: [AssistantID("known"): 1, AssistantID("stranger"): 4],
                servicesByProvider: [ProviderID("ngo-a"): 1, ProviderID("ngo-b"): 4]),
            expected: [("stranger", .sameAssistant), ("known", .sameAssistant), ("colleague", .sameProvider)]),
        ContinuityCase(
            name: "the assistant the participant asked for comes first, before one who served them more",
            history: .init(
                servicesByAssistant: [AssistantID("known"): 3, AssistantID("colleague"): 1], servicesByProvider: [ProviderID("ngo-a"): 4]),
            expected: [("colleague", .preferred), ("known", .sameAssistant), ("stranger", .none)], preferred: "colleague"),
        ContinuityCase(
            name: "the assistant asked for cannot come: the others as usual",
            history: .init(servicesByAssistant: [AssistantID("gone"): 2], servicesByProvider: [ProviderID("ngo-b"): 2]),
            expected: [("stranger", .sameProvider), ("colleague", .none), ("known", .none)], preferred: "gone"),
    ]

    @Test(arguments: continuityCases)
    func suggestionsPutContinuityFirst(_ test: ContinuityCase) {
        func assistant(_ id: String, of provider: String) -> AssistantProfile {
            AssistantProfile(
                id: AssistantID(id), providerID: ProviderID(provider), skills: [.signLanguage], availability: Self.allWeek, excludedParticipants: [])
        }
        var order = Self.order
        order.preferredAssistant = test.preferred.map { AssistantID($0) }
        let suggestions = AssignmentRules.suggestions(
            for: order,
            candidates: [
                (assistant("known", of: "ngo-a"), booked: [service("2024-05-06 14:00", "2024-05-06 16:00")]),
                (assistant("colleague", of: "ngo-a"), booked: []),
                (assistant("stranger", of: "ngo-b"), booked: []),
            ], history: test.history, dailyLimitHours: 12)
        #expect(suggestions.map(\.assistant.id.rawValue) == test.expected.map(\.0))
        #expect(suggestions.map(\.continuity) == test.expected.map(\.1))
    }

    @Test func eachSuggestionSaysWhy() {
        let assistant = AssistantProfile(
            id: AssistantID("known"), providerID: ProviderID("ngo-a"), skills: [.signLanguage], availability: Self.allWeek, excludedParticipants: [])
        let reasons = [
            AssignmentRules.Suggestion(assistant: assistant, nearbyMinutes: 120, continuity: .sameAssistant, earlierServices: 3).reason,
            AssignmentRules.Suggestion(assistant: assistant, nearbyMinutes: 0, continuity: .sameProvider, earlierServices: 1).reason,
            AssignmentRules.Suggestion(assistant: assistant, nearbyMinutes: 0, continuity: .none, earlierServices: 0).reason,
        ]
        #expect(
            reasons == [
                "has served this participant 3 times before; 120 minutes booked within 24 hours",
                "of ngo-a, which has served this participant 1 time; nothing else booked within 24 hours",
                "neither this assistant nor ngo-a has served this participant; nothing else booked within 24 hours",
            ])
    }
}
