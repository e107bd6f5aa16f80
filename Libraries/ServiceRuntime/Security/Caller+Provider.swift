import Domain

extension Caller {
    /// Whether the caller may see what belongs to `providerID`: every role that
    /// does not act for one NGO may, an NGO only its own. Routes answer 404 when
    /// not, so an NGO learns nothing about another NGO's orders or entries.
    public func maySee(_ providerID: ProviderID) -> Bool {
        ![.provider, .assistant].contains(role) || provider == providerID.rawValue
    }

    /// Whether the caller may read or act on what belongs to `participantID`:
    /// a participant (or their guardian) only on their own; staff on anyone's.
    /// Routes answer 404 when not, as for an id that does not exist.
    public func mayActFor(_ participantID: ParticipantID) -> Bool {
        role != .participant || participant == participantID.rawValue
    }
}
