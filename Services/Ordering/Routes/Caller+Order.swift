import ServiceRuntime

extension Caller {
    /// An NGO sees an order only once it is assigned to that NGO.
    func maySee(_ order: OrderRecord) -> Bool {
        role != .provider || order.providerID.map(maySee) == true
    }
}
