/// What a caller may do, as a token's `role` claim names it. The policy table
/// in the README says which role may use which route.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// MOPS staff: reviews applications, decides eligibility, closes months,
    /// rebuilds reporting, manages NGO keys; may use every route.
    case `operator`
    /// A MOPS case coordinator: submits applications and places, assigns and
    /// cancels orders for their clients.
    case coordinator
    /// An NGO: reads its own orders and posts and reads its own timesheet entries.
    case provider
    /// An auditor: reads what is not personal data, never writes.
    case auditor
    /// An NGO's assistant: sees the orders assigned to them and records what
    /// they delivered, for their NGO only.
    case assistant
    /// A participant, or their legal guardian acting for them: their own
    /// allowance, orders and visits, nobody else's.
    case participant

    /// The claims a token of this role must carry, naming whom the caller acts
    /// for; any other binding claim is refused.
    public var bindings: Set<String> {
        switch self {
        case .provider: ["provider"]
        case .assistant: ["provider", "assistant"]
        case .participant: ["participant"]
        case .operator, .coordinator, .auditor: []
        }
    }
}
