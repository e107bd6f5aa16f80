import Domain

/// Everything the routes need from storage. Each mutating call is one
/// transaction that also writes the events announcing it to the outbox.
protocol OrderingRepository: Sendable {
    func providers() async throws -> [ProviderRecord]
    /// Nil when the provider is unknown.
    func assistants(of providerID: ProviderID) async throws -> [AssistantRecord]?
    func registerAssistant(_ new: NewAssistant, providerID: ProviderID) async throws -> AssistantRecord

    func placeOrder(_ new: NewOrder) async throws -> OrderRecord
    func order(_ id: OrderID) async throws -> OrderRecord?
    func orders(of participantID: ParticipantID) async throws -> [OrderRecord]
    func assign(_ id: OrderID, providerID: ProviderID, assistantID: AssistantID) async throws -> OrderRecord
    func suggestions(for id: OrderID) async throws -> [SuggestionRecord]
    func cancel(_ id: OrderID, by: OrderCancelled.CancelledBy) async throws -> OrderRecord
    func rate(_ id: OrderID, scores: [ServiceRated.Score], comment: String?) async throws -> RatingRecord

    /// The allowance under the participant's grant in `editionID`, or under the
    /// latest grant when none is named; nil when there is no such grant.
    func allowance(of participantID: ParticipantID, editionID: EditionID?) async throws -> AllowanceRecord?
}
