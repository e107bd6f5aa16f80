import Domain
import FoundationEssentials
import ServiceRuntime

// Request bodies. Decoding names the field at fault; `validated()` adds the
// checks JSON types cannot express, all field errors at once.

struct PlaceOrderRequest: Decodable, Sendable {
    var participantID: ParticipantID
    /// The day the service starts, in Warsaw.
    var date: CalendarDate
    /// Warsaw wall-clock times; an end at or before the start is on the next day.
    var start: TimeOfDay
    var end: TimeOfDay
    var activity: ActivityCategory
    /// Where the service takes place (an address): stays in ordering.
    var place: String
    var requiredSkills: [Skill]?
    /// An assistant who served the participant before, to come again if free.
    var preferredAssistantID: AssistantID?

    static let maximumPlaceLength = 300

    func validated() throws -> NewOrder {
        var fields: [APIError.FieldError] = []
        let place = place.trimmed
        if place.isEmpty { fields.append(.init(field: "place", message: "is required")) }
        if place.count > Self.maximumPlaceLength {
            fields.append(.init(field: "place", message: "must have at most \(Self.maximumPlaceLength) characters"))
        }
        if place.containsStrayControlCharacter {
            fields.append(.init(field: "place", message: "must not contain control characters other than line breaks and tabs"))
        }
        let time = ServiceTime(date: date, start: start, end: end)
        if time == nil { fields.append(.init(field: "end", message: "must differ from the start")) }
        guard fields.isEmpty, let time else { throw APIError.invalid(fields) }
        return NewOrder(
            participantID: participantID, date: date, time: time, activity: activity, place: place, requiredSkills: requiredSkills ?? [],
            preferredAssistantID: preferredAssistantID)
    }
}

struct RegisterAssistantRequest: Decodable, Sendable {
    var skills: [Skill]
    var availability: [WeeklySlot]
    var excludedParticipants: [ParticipantID]?
    /// Participants who are the assistant's family: excluded, and under a statute refused as `assistant-related`.
    var relatives: [ParticipantID]?

    func validated() throws -> NewAssistant {
        var fields: [APIError.FieldError] = []
        for (index, slot) in availability.enumerated() {
            if !(1...7).contains(slot.weekday) {
                fields.append(.init(field: "availability[\(index)].weekday", message: "must be from 1 (Monday) to 7 (Sunday)"))
            }
            if slot.from >= slot.to { fields.append(.init(field: "availability[\(index)].to", message: "must be after from")) }
        }
        if availability.count > 100 { fields.append(.init(field: "availability", message: "may have at most 100 slots")) }
        for (name, ids) in [("excludedParticipants", excludedParticipants ?? []), ("relatives", relatives ?? [])] {
            if ids.count > 1000 { fields.append(.init(field: name, message: "may have at most 1000 ids")) }
            for (index, id) in ids.enumerated()
            where id.rawValue.isEmpty || id.rawValue.unicodeScalars.count > 128 || id.rawValue.containsControlCharacter {
                fields.append(.init(field: "\(name)[\(index)]", message: "must be a participant id: 1 to 128 characters, no control characters"))
            }
        }
        guard fields.isEmpty else { throw APIError.invalid(fields) }
        return NewAssistant(skills: skills, availability: availability, excludedParticipants: excludedParticipants ?? [], relatives: relatives ?? [])
    }
}

/// The body of `PUT /providers/{p}/assistants/{a}/qualifications/{kind}`.
struct QualificationRequest: Decodable, Sendable {
    var obtainedOn: CalendarDate
    var validUntil: CalendarDate?

    func validated(today: CalendarDate) throws -> (obtainedOn: CalendarDate, validUntil: CalendarDate?) {
        var fields: [APIError.FieldError] = []
        if obtainedOn > today { fields.append(.init(field: "obtainedOn", message: "must not be in the future")) }
        if let validUntil, validUntil < obtainedOn { fields.append(.init(field: "validUntil", message: "must not be before obtainedOn")) }
        guard fields.isEmpty else { throw APIError.invalid(fields) }
        return (obtainedOn, validUntil)
    }
}

struct AssignmentRequest: Decodable, Sendable {
    var providerID: ProviderID
    var assistantID: AssistantID
}

struct CancellationRequest: Decodable, Sendable {
    var cancelledBy: OrderCancelled.CancelledBy
}

struct RatingRequest: Decodable, Sendable {
    var scores: [ServiceRated.Score]
    var comment: String?

    static let maximumCommentLength = 2000

    func validated() throws -> (scores: [ServiceRated.Score], comment: String?) {
        var fields: [APIError.FieldError] = []
        if scores.isEmpty { fields.append(.init(field: "scores", message: "must have at least one score")) }
        if scores.count > 50 { fields.append(.init(field: "scores", message: "may have at most 50 scores")) }
        var questions = Set<String>()
        for (index, score) in scores.enumerated() {
            if !(1...5).contains(score.score) { fields.append(.init(field: "scores[\(index)].score", message: "must be from 1 to 5")) }
            let validQuestion =
                (1...64).contains(score.question.count)
                && score.question.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            if !validQuestion {
                fields.append(.init(field: "scores[\(index)].question", message: "must be a code of 1 to 64 letters, digits, '-' or '_'"))
            }
            if !questions.insert(score.question).inserted { fields.append(.init(field: "scores[\(index)].question", message: "is scored twice")) }
        }
        let comment = comment?.trimmed
        if (comment?.count ?? 0) > Self.maximumCommentLength {
            fields.append(.init(field: "comment", message: "must have at most \(Self.maximumCommentLength) characters"))
        }
        if comment?.containsStrayControlCharacter == true {
            fields.append(.init(field: "comment", message: "must not contain control characters other than line breaks and tabs"))
        }
        guard fields.isEmpty else { throw APIError.invalid(fields) }
        return (scores, comment?.isEmpty == true ? nil : comment)
    }
}
