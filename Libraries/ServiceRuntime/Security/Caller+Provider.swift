import Domain

extension Caller {
    /// Whether the caller may see what belongs to `providerID`: every role that
    /// does not act for one NGO may, an NGO only its own. Routes answer 404 when
    /// not, so an NGO learns nothing about another NGO's orders or entries.
    public func maySee(_ providerID: ProviderID) -> Bool {
        role != .provider || provider == providerID.rawValue
    }
}
