import ServiceRuntime

/// A person who may sign in, and whose data they act on.
struct Account: Sendable, Equatable {
    /// Whether a participant's account is used by the participant or by their legal guardian.
    enum ActsAs: String, Sendable {
        case `self`
        case guardian
    }

    var id: String
    var login: String
    var displayName: String
    var role: Role
    var providerID: String?
    var assistantID: String?
    var participantID: String?
    var actsAs: ActsAs?

    /// Who the services see: the account id as `sub` (so their audit trail names
    /// the person, a guardian included) and the role's bindings.
    var caller: Caller {
        Caller(subject: "portal:" + id, role: role, provider: providerID, assistant: assistantID, participant: participantID)
    }
}

/// Whom a code lets in: the account it will create, minus the sign-in name and
/// password the person chooses.
struct Invitee: Sendable, Equatable {
    var role: Role
    var displayName: String
    var providerID: String?
    var assistantID: String?
    var participantID: String?
    var actsAs: Account.ActsAs?
}
