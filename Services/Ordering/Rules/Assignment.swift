import Domain
import Foundation

/// What the assignment rules know of an assistant.
struct AssistantProfile: Hashable, Sendable {
    var id: AssistantID
    var providerID: ProviderID
    var skills: Set<Skill>
    var availability: [WeeklySlot]
    /// Participants this assistant may not serve: family, guardian, household.
    var excludedParticipants: Set<ParticipantID>

    init(id: AssistantID, providerID: ProviderID, skills: Set<Skill>, availability: [WeeklySlot], excludedParticipants: Set<ParticipantID>) {
        self.id = id
        self.providerID = providerID
        self.skills = skills
        self.availability = availability
        self.excludedParticipants = excludedParticipants
    }
}

/// What the assignment rules know of an order.
struct OrderDemand: Hashable, Sendable {
    var participantID: ParticipantID
    var time: ServiceTime
    var requiredSkills: Set<Skill>
}

enum AssignmentRules {
    /// The first rule the assignment breaks, in the order a coordinator would
    /// fix them (the person first, then the calendar); nil when it may be made.
    /// - Parameter booked: the assistant's other assigned, not cancelled services.
    static func refusal(assigning assistant: AssistantProfile, to order: OrderDemand, booked: [ServiceTime], dailyLimitHours: Int) -> Refusal? {
        if !order.requiredSkills.isSubset(of: assistant.skills) { return .missingSkills }
        if assistant.excludedParticipants.contains(order.participantID) { return .assistantExcluded }
        if !Availability.covers(assistant.availability, order.time) { return .assistantUnavailable }
        if booked.contains(where: { $0.overlaps(order.time) }) { return .assistantBooked }
        if !DailyLimit.allows(order.time, booked: booked, limitMinutes: dailyLimitHours * 60) { return .assistantDailyLimit }
        return nil
    }

    struct Suggestion: Hashable, Sendable {
        var assistant: AssistantProfile
        /// Minutes already booked from 24 hours before the service to 24 hours after it.
        var nearbyMinutes: Int
    }

    /// Assistants who may take the order, least busy around it first, then those
    /// with the fewest skills beyond what it needs (keeping rare skills free),
    /// then by id so the answer is stable.
    static func suggestions(for order: OrderDemand, candidates: [(AssistantProfile, booked: [ServiceTime])], dailyLimitHours: Int) -> [Suggestion] {
        let from = order.time.start.addingTimeInterval(-DailyLimit.window), to = order.time.end.addingTimeInterval(DailyLimit.window)
        return candidates
            .filter { refusal(assigning: $0.0, to: order, booked: $0.booked, dailyLimitHours: dailyLimitHours) == nil }
            .map { Suggestion(assistant: $0.0, nearbyMinutes: Int($0.booked.reduce(0) { $0 + $1.seconds(within: from, to) }) / 60) }
            .sorted {
                ($0.nearbyMinutes, $0.assistant.skills.count, $0.assistant.id.rawValue)
                    < ($1.nearbyMinutes, $1.assistant.skills.count, $1.assistant.id.rawValue)
            }
    }
}
