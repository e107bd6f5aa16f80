import Domain
import FoundationEssentials

// What the repository gives back; the routes send these as JSON. Times of a
// service are given both as Warsaw day and wall-clock times (as ordered) and as
// RFC 3339 instants; durations are whole minutes.

struct ProviderRecord: Codable, Sendable, Equatable {
    var providerID: ProviderID
    var name: String
    /// The editions the provider has a contract in, with its hourly rate in each.
    var editions: [Contract]

    struct Contract: Codable, Sendable, Equatable {
        var editionID: EditionID
        var hourlyRate: Money
    }
}

struct AssistantRecord: Codable, Sendable, Equatable {
    var assistantID: AssistantID
    var providerID: ProviderID
    var skills: [Skill]
    var availability: [WeeklySlot]
    /// Every participant the assistant may not serve, `relatives` among them.
    var excludedParticipants: [ParticipantID]
    /// Family: a statutory scheme refuses them as `assistant-related`.
    var relatives: [ParticipantID]
    /// The register of assistants: the newest record of each kind.
    var qualifications: [QualificationRecord]
}

struct QualificationRecord: Codable, Sendable, Equatable {
    var kind: QualificationKind
    var obtainedOn: CalendarDate
    /// Absent: without expiry.
    var validUntil: CalendarDate?
}

enum OrderStatus: String, Codable, Sendable {
    case placed, assigned, cancelled
}

struct OrderRecord: Codable, Sendable, Equatable {
    var orderID: OrderID
    var participantID: ParticipantID
    var editionID: EditionID
    var grantID: GrantID
    var date: CalendarDate
    var start: TimeOfDay
    var end: TimeOfDay
    var startsAt: Date
    var endsAt: Date
    var minutes: Int
    var activity: ActivityCategory
    var place: String
    var requiredSkills: [Skill]
    var status: OrderStatus
    var providerID: ProviderID?
    var assistantID: AssistantID?
    var cancelledBy: OrderCancelled.CancelledBy?
    /// Minutes timesheet accounted for this order (0 until the first accepted entry).
    var deliveredMinutes: Int
    var rated: Bool
    /// The last moment the participant may cancel: the start less the edition's notice period.
    var cancellableUntil: Date
    /// The assistant the participant asked for, if any.
    var preferredAssistantID: AssistantID?

    var serviceTime: ServiceTime { ServiceTime(start: startsAt, end: endsAt) }
}

struct AllowanceRecord: Codable, Sendable, Equatable {
    var participantID: ParticipantID
    var editionID: EditionID
    var grantID: GrantID
    var period: DateRange
    var revokedOn: CalendarDate?
    var grantedMinutes: Int
    var reservedMinutes: Int
    var deliveredMinutes: Int
    var remainingMinutes: Int
    /// A statutory grant's months; absent for a programme grant.
    var monthly: MonthlyAllowance?
}

/// A statutory grant's budget month by month, and what lapses when it ends.
struct MonthlyAllowance: Codable, Sendable, Equatable {
    var hoursPerMonth: Int
    var carryOver: Bool
    var months: [MonthlyBudget.Month]
    /// The last month's unused minutes, which lapse after `lapsesAfter`.
    var lapsingMinutes: Int
    var lapsesAfter: CalendarDate
}

struct SuggestionRecord: Codable, Sendable, Equatable {
    var providerID: ProviderID
    var assistantID: AssistantID
    var skills: [Skill]
    /// Minutes the assistant is already booked from 24 h before to 24 h after the service.
    var nearbyBookedMinutes: Int
    /// Why this assistant, and in this place: continuity with the participant first.
    var continuity: AssignmentRules.Continuity
    /// The participant's earlier services with this assistant (same-assistant) or its NGO (same-provider).
    var earlierServices: Int
    var reason: String
}

struct RatingRecord: Codable, Sendable, Equatable {
    var ratingID: RatingID
    var orderID: OrderID
    var ratedOn: CalendarDate
    var scores: [ServiceRated.Score]
    var comment: String?
}

// MARK: - Inputs

struct NewAssistant: Sendable {
    var skills: [Skill]
    var availability: [WeeklySlot]
    var excludedParticipants: [ParticipantID]
    var relatives: [ParticipantID] = []
}

extension NewAssistant {
    /// The assistant as stored and announced: skills and excluded participants once each, sorted;
    /// a relative is excluded too. Its register is kept apart (`recordQualification`).
    func record(_ id: AssistantID, of providerID: ProviderID) -> AssistantRecord {
        func sorted(_ ids: [ParticipantID]) -> [ParticipantID] { Array(Set(ids.map(\.rawValue))).sorted().map { ParticipantID($0) } }
        return AssistantRecord(
            assistantID: id, providerID: providerID, skills: Array(Set(skills)).sorted { $0.rawValue < $1.rawValue }, availability: availability,
            excludedParticipants: sorted(excludedParticipants + relatives), relatives: sorted(relatives), qualifications: [])
    }
}

struct NewOrder: Sendable {
    var participantID: ParticipantID
    var date: CalendarDate
    var time: ServiceTime
    var activity: ActivityCategory
    var place: String
    var requiredSkills: [Skill]
    var preferredAssistantID: AssistantID?
}

/// What a request could not do, beyond the rules' refusals.
enum OrderingFailure: Error, Sendable, Equatable {
    case refused(Refusal)
    case notFound(String)
    /// A state conflict: the code and a message a person can act on.
    case conflict(String, String)
    /// A request the rules would not even consider.
    case unprocessable(String, String)
}
