/// What the portal reads from the services' answers: only the fields its pages
/// show, so a service may add fields without breaking a page.
enum ServiceRecords {
    /// ordering `GET /providers`
    struct Provider: Decodable, Sendable {
        var providerID: String
        var name: String
    }

    /// ordering `GET /providers/{id}/assistants`
    struct Assistant: Decodable, Sendable {
        var assistantID: String
        var skills: [String]
    }

    /// ordering `GET /participants/{id}/allowance`
    struct Allowance: Decodable, Sendable {
        struct Period: Decodable, Sendable {
            var start: String
            var end: String
        }
        var editionID: String
        var period: Period
        var grantedMinutes: Int
        var reservedMinutes: Int
        var deliveredMinutes: Int
        var remainingMinutes: Int
    }

    /// eligibility `GET /decisions`: a page of decisions (only how many are shown).
    struct Decisions: Decodable, Sendable {
        struct Decision: Decodable, Sendable {
            var id: String
        }
        var decisions: [Decision]
        var next: String?
    }
}

extension ServiceClient {
    /// The NGOs of the programme (public to every role).
    func providers(as account: Account) async throws -> [ServiceRecords.Provider] {
        try await get([ServiceRecords.Provider].self, from: .ordering, "/providers", as: account)
    }

    /// An NGO's assistants, as `account` may see them.
    func assistants(of providerID: String, as account: Account) async throws -> [ServiceRecords.Assistant] {
        try await get([ServiceRecords.Assistant].self, from: .ordering, "/providers/\(providerID)/assistants", as: account)
    }
}
