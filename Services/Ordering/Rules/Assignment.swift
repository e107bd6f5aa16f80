import Domain
import FoundationEssentials

/// What the assignment rules know of an assistant.
struct AssistantProfile: Hashable, Sendable {
    var id: AssistantID
    var providerID: ProviderID
    var skills: Set<Skill>
    var availability: [WeeklySlot]
    /// Participants this assistant may not serve: family, guardian, household.
    var excludedParticipants: Set<ParticipantID>
    /// Those of them who are family: a statutory scheme refuses them with a code of its own.
    var relatives: Set<ParticipantID> = []
    /// The register: each qualification the NGO recorded, the newest of each kind.
    var qualifications: [QualificationKind: AssistantQualificationRecorded] = [:]
}

/// What the assignment rules know of an order.
struct OrderDemand: Hashable, Sendable {
    var participantID: ParticipantID
    var time: ServiceTime
    var requiredSkills: Set<Skill>
    /// The assistant the participant asked for: first among the suggestions when free and able.
    var preferredAssistant: AssistantID? = nil
    /// A statutory scheme's requirements of its assistants; nil under the programme.
    var requirements: AssistantRequirements? = nil
}

enum AssignmentRules {
    /// The first rule the assignment breaks, in the order a coordinator would
    /// fix them (the person first, then the calendar); nil when it may be made.
    /// - Parameter booked: the assistant's other assigned, not cancelled services.
    static func refusal(assigning assistant: AssistantProfile, to order: OrderDemand, booked: [ServiceTime], dailyLimitHours: Int) -> Refusal? {
        if !order.requiredSkills.isSubset(of: assistant.skills) { return .missingSkills }
        if let requirements = order.requirements {
            if !requirements.mayBeRelated, assistant.relatives.contains(order.participantID) { return .assistantRelated }
            if assistant.excludedParticipants.contains(order.participantID) { return .assistantExcluded }
            if let refusal = qualificationRefusal(assistant, requirements, order.time) { return refusal }
        } else if assistant.excludedParticipants.contains(order.participantID) {
            return .assistantExcluded
        }
        if !Availability.covers(assistant.availability, order.time) { return .assistantUnavailable }
        if booked.contains(where: { $0.overlaps(order.time) }) { return .assistantBooked }
        if DailyLimit.busiestWindow(with: order.time.span, others: booked.lazy.map(\.span), limitHours: dailyLimitHours) != nil {
            return .assistantDailyLimit
        }
        return nil
    }

    /// Under a statute every required qualification must hold on each day of the service:
    /// one never recorded, or recorded from a later day, is missing; one that ends
    /// before the service does has expired.
    static func qualificationRefusal(_ assistant: AssistantProfile, _ requirements: AssistantRequirements, _ time: ServiceTime) -> Refusal? {
        switch QualificationShortfall.first(of: requirements.qualifications, in: assistant.qualifications, from: time.firstDay, through: time.lastDay)
        {
        case .missing: .assistantNotQualified
        case .expired: .qualificationExpired
        case nil: nil
        }
    }

    /// Who has served the participant before: a person who needs help is best
    /// served by someone they know, then by the NGO that knows them.
    struct History: Hashable, Sendable {
        /// Assigned services (not cancelled) per assistant.
        var servicesByAssistant: [AssistantID: Int] = [:]
        /// Assigned services (not cancelled) per provider.
        var servicesByProvider: [ProviderID: Int] = [:]
    }

    /// Why an assistant is suggested, best first.
    enum Continuity: String, Codable, Hashable, Sendable, Comparable {
        /// The participant asked for this assistant (one who served them before).
        case preferred
        /// Has served this participant before.
        case sameAssistant = "same-assistant"
        /// Of an NGO that has served this participant before.
        case sameProvider = "same-provider"
        /// Neither: free and able.
        case none

        private var rank: Int {
            switch self {
            case .preferred: 0
            case .sameAssistant: 1
            case .sameProvider: 2
            case .none: 3
            }
        }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    struct Suggestion: Hashable, Sendable {
        var assistant: AssistantProfile
        /// Minutes already booked from 24 hours before the service to 24 hours after it.
        var nearbyMinutes: Int
        var continuity: Continuity
        /// The participant's earlier services with this assistant, or with its NGO.
        var earlierServices: Int

        /// What a coordinator reads next to the name.
        var reason: String {
            let busy = nearbyMinutes == 0 ? "nothing else booked within 24 hours" : "\(nearbyMinutes) minutes booked within 24 hours"
            return switch continuity {
            case .preferred:
                "the participant asked for this assistant, who has served them \(earlierServices) time\(earlierServices == 1 ? "" : "s") before; \(busy)"
            case .sameAssistant: "has served this participant \(earlierServices) time\(earlierServices == 1 ? "" : "s") before; \(busy)"
            case .sameProvider:
                "of \(assistant.providerID), which has served this participant \(earlierServices) time\(earlierServices == 1 ? "" : "s"); \(busy)"
            case .none: "neither this assistant nor \(assistant.providerID) has served this participant; \(busy)"
            }
        }
    }

    /// Assistants who may take the order: the one the participant asked for, then who
    /// has served the participant before (more services first), then assistants of an NGO that has, then the
    /// rest; within each, the least busy around the order, then those with the
    /// fewest skills beyond what it needs (keeping rare skills free), then by id so
    /// the answer is stable.
    static func suggestions(
        for order: OrderDemand, candidates: [(AssistantProfile, booked: [ServiceTime])], history: History = History(),
        dailyLimitHours: Int
    ) -> [Suggestion] {
        let around = WorkSpan(
            start: order.time.start.addingTimeInterval(-DailyLimit.window), end: order.time.end.addingTimeInterval(DailyLimit.window))
        return
            candidates
            .filter { refusal(assigning: $0.0, to: order, booked: $0.booked, dailyLimitHours: dailyLimitHours) == nil }
            .map { assistant, booked in
                let own = history.servicesByAssistant[assistant.id] ?? 0
                let provider = history.servicesByProvider[assistant.providerID] ?? 0
                let continuity: Continuity =
                    assistant.id == order.preferredAssistant ? .preferred : own > 0 ? .sameAssistant : provider > 0 ? .sameProvider : .none
                return Suggestion(
                    assistant: assistant, nearbyMinutes: Int(booked.reduce(0) { $0 + $1.span.overlap(with: around) }) / 60,
                    continuity: continuity, earlierServices: own > 0 || continuity == .preferred ? own : provider)
            }
            .sorted {
                ($0.continuity, -$0.earlierServices, $0.nearbyMinutes, $0.assistant.skills.count, $0.assistant.id.rawValue)
                    < ($1.continuity, -$1.earlierServices, $1.nearbyMinutes, $1.assistant.skills.count, $1.assistant.id.rawValue)
            }
    }
}
