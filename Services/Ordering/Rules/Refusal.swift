/// Why ordering refuses a request: a stable code a client can branch on, and
/// a message a coordinator can act on. Rules return these; routes give them a status.
enum Refusal: String, Error, Sendable, Equatable, CaseIterable {
    // Placing an order
    case noGrant = "no-grant"
    case outsideGrantPeriod = "outside-grant-period"
    case allowanceExceeded = "allowance-exceeded"
    case monthlyBudgetExceeded = "monthly-budget-exceeded"
    case preferredAssistantUnknown = "preferred-assistant-unknown"
    // Assigning an order
    case missingSkills = "missing-skills"
    case assistantExcluded = "assistant-excluded"
    case assistantRelated = "assistant-related"
    case assistantNotQualified = "assistant-not-qualified"
    case qualificationExpired = "qualification-expired"
    case assistantUnavailable = "assistant-unavailable"
    case assistantBooked = "assistant-booked"
    case assistantDailyLimit = "assistant-daily-limit"

    var message: String {
        switch self {
        case .noGrant: "the participant has no grant of support"
        case .outsideGrantPeriod: "the service falls outside the period the grant covers"
        case .allowanceExceeded: "the order needs more minutes than the participant has remaining"
        case .monthlyBudgetExceeded:
            "the order needs more minutes than its month has left, with what earlier months carried over (or it would take what a later month already uses)"
        case .preferredAssistantUnknown: "a preferred assistant must be one who has served the participant before"
        case .missingSkills: "the assistant lacks a skill the order requires"
        case .assistantExcluded: "the assistant may not serve this participant (family tie or shared household)"
        case .assistantRelated: "under the statute an assistant may not be related to the person; choose another assistant"
        case .assistantNotQualified:
            "the statute requires a qualification the register of assistants does not hold for this assistant on the service's day; the NGO records it (PUT …/qualifications/{kind})"
        case .qualificationExpired:
            "a qualification the statute requires ends before the service; the NGO records its renewal (PUT …/qualifications/{kind})"
        case .assistantUnavailable: "the assistant is not available at that time"
        case .assistantBooked: "the assistant is already booked at that time"
        case .assistantDailyLimit: "the assignment would take the assistant over the hours allowed in 24 hours"
        }
    }
}
