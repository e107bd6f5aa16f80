/// Who sent a request, as their verified token says.
public struct Caller: Sendable, Hashable {
    /// The token's `sub`: a person's or system's name, for the audit trail.
    public var subject: String
    public var role: Role
    /// The NGO's provider id; present exactly when `role` is `.provider` or
    /// `.assistant`, so routes can show an NGO only its own orders and entries.
    public var provider: String?
    /// The assistant's id; present exactly when `role` is `.assistant`.
    public var assistant: String?
    /// The participant's id; present exactly when `role` is `.participant`.
    public var participant: String?

    public init(subject: String, role: Role, provider: String? = nil, assistant: String? = nil, participant: String? = nil) {
        self.subject = subject
        self.role = role
        self.provider = provider
        self.assistant = assistant
        self.participant = participant
    }
}
