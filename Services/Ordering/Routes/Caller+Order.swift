import ServiceRuntime

extension Caller {
    /// Whose order this is, as far as the caller may know: an NGO sees an order
    /// once it is assigned to that NGO, an assistant once it is assigned to
    /// them, a participant only their own; staff see every order.
    func maySee(_ order: OrderRecord) -> Bool {
        switch role {
        case .provider: order.providerID.map(maySee) == true
        case .assistant: order.providerID.map(maySee) == true && order.assistantID?.rawValue == assistant
        case .participant: mayActFor(order.participantID)
        case .operator, .coordinator, .auditor: true
        }
    }
}
