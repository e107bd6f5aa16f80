/// What the demo reads back from the services' APIs (only the fields it uses).
struct ApplicationStatus: Decodable, Sendable {
    var id: String
    var participantID: String
}
struct APIErrorBody: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var code: String
        var message: String
        var details: [String: String]?
    }
    var error: Detail
}
struct Decision: Decodable, Sendable {
    var id: String
    var applicationID: String
    var participantID: String
    var outcome: String
    var reasons: [String]
    var review: String
    var hours: Int?
}
struct DecisionPage: Decodable, Sendable {
    var decisions: [Decision]
    var next: String?
}
struct Provider: Decodable, Sendable {
    var providerID: String
    var name: String
}
struct Assistant: Decodable, Sendable {
    var assistantID: String
    var providerID: String
}
struct Allowance: Decodable, Sendable {
    var remainingMinutes: Int
    var grantedMinutes: Int
}
struct Order: Decodable, Sendable {
    var orderID: String
    var participantID: String
    var startsAt: String
    var endsAt: String
    var activity: String
    var minutes: Int
}
struct Suggestion: Decodable, Sendable {
    var providerID: String
    var assistantID: String
}
struct SigningKey: Codable, Sendable {
    var keyId: String
    var secretHex: String
}

struct PlaceOrder: Encodable, Sendable {
    var participantID: String
    var date: String
    var start: String
    var end: String
    var activity: String
    var place: String
}
struct Assignment: Encodable, Sendable {
    var providerID: String
    var assistantID: String
}
struct WeeklySlot: Encodable, Sendable {
    var weekday: Int
    var from: String
    var to: String
}
struct RegisterAssistant: Encodable, Sendable {
    var skills: [String]
    var availability: [WeeklySlot]
    var excludedParticipants: [String] = []
}
struct Confirmations: Encodable, Sendable {
    var decisionIDs: [String]
    var justification: String
}
