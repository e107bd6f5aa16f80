import Domain
import Foundation

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
        struct Slot: Codable, Sendable {
            /// 1 Monday … 7 Sunday.
            var weekday: Int
            var from: String
            var to: String
        }
        var assistantID: String
        var skills: [String]
        var availability: [Slot]
        var excludedParticipants: [String]
        /// Those of the excluded who are family (absent from older answers).
        var relatives: [String]?
        /// The register of assistants, the newest record of each kind.
        var qualifications: [Qualification]?

        struct Qualification: Decodable, Sendable {
            var kind: QualificationKind
            var obtainedOn: String
            var validUntil: String?
        }
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
        /// A statutory grant's months; absent under the programme.
        var monthly: Monthly?

        struct Monthly: Decodable, Sendable {
            var hoursPerMonth: Int
            var carryOver: Bool
            var months: [Month]
            var lapsingMinutes: Int
            var lapsesAfter: String
        }
        struct Month: Decodable, Sendable {
            var month: String
            var carriedInMinutes: Int
            var reservedMinutes: Int
            var deliveredMinutes: Int
            var availableMinutes: Int
            var remainingMinutes: Int
        }
    }

    /// ordering's orders (`GET /orders/{id}`, a participant's, an assistant's)
    struct Order: Decodable, Sendable {
        var orderID: String
        var participantID: String
        var date: String
        var start: String
        var end: String
        var startsAt: String
        var endsAt: String
        var activity: String
        var place: String
        var requiredSkills: [String]
        var status: String
        var providerID: String?
        var assistantID: String?
        var deliveredMinutes: Int
        var rated: Bool
        var cancellableUntil: String
    }

    /// intake `GET /applications/{id}`: the application's status and documents (no personal data).
    struct Application: Decodable, Sendable {
        struct Document: Decodable, Sendable {
            var kind: String
            var sizeBytes: Int?
            var isReference: Bool
        }
        var id: String
        var participantID: String
        var edition: String
        var status: String
        var submittedOn: String
        var documents: [Document]
    }

    /// ordering `GET /orders/{id}/suggestions`: an assistant who passes every assignment rule.
    struct Suggestion: Decodable, Sendable {
        var providerID: String
        var assistantID: String
        var skills: [String]
        var nearbyBookedMinutes: Int
        var continuity: String
        var earlierServices: Int
    }

    /// A service's error answer, `{"error": {"code", "message", "fields"?}}`.
    struct Refusal: Decodable, Sendable {
        struct FieldProblem: Decodable, Sendable {
            var field: String
            var message: String
        }
        var code: String
        var message: String
        var fields: [FieldProblem]
        /// Machine-readable facts, e.g. the existing application's id on intake's 409.
        var details: [String: String]

        private struct Body: Decodable {
            struct Inner: Decodable {
                var code: String
                var message: String
                var fields: [FieldProblem]?
                var details: [String: String]?
            }
            var error: Inner
        }

        /// Reads an error body; anything else is an unknown refusal.
        init(_ data: Data) {
            let inner = (try? JSONDecoder().decode(Body.self, from: data))?.error
            code = inner?.code ?? "unknown"
            message = inner?.message ?? ""
            fields = inner?.fields ?? []
            details = inner?.details ?? [:]
        }
    }

    /// timesheet `GET /providers/{id}/entries/{entryID}`: the versions and their answers.
    struct EntryHistory: Decodable, Sendable {
        struct Version: Decodable, Sendable {
            var sequence: Int
            var action: String
            var receivedAt: Date
            var assistantID: String
            var start: Date
            var end: Date
            var activity: String
            var reason: String?
            var outcome: String
            var code: String?
            var message: String?
            var minutes: Int?
        }
        var versions: [Version]
    }

    /// A participant's contest of a visit, as timesheet keeps it.
    struct Contest: Decodable, Sendable {
        var reason: String
        var comment: String?
        /// corrected, voided or stands once settled.
        var outcome: String?
    }

    /// timesheet `GET /participants/{id}/months/{yyyy-mm}`: the monthly card.
    struct Card: Decodable, Sendable {
        struct Visit: Decodable, Sendable {
            var providerID: String
            var entryID: String
            var assistantID: String
            var start: Date
            var end: Date
            var minutes: Int
            var activity: String
            var confirmed: Bool
            var contest: Contest?
        }
        var month: String
        var confirmedAt: Date?
        var visits: [Visit]
    }

    /// timesheet `GET /editions/{id}/months/{yyyy-mm}`: what a month holds, per NGO.
    struct MonthSummary: Decodable, Sendable {
        struct Count: Decodable, Sendable {
            var visits: Int
            var minutes: Int
        }
        struct Provider: Decodable, Sendable {
            var providerID: String
            var confirmed: Count
            var contested: Count
            var unconfirmed: Count
            var rejectedEntries: Int
        }
        var closedAt: Date?
        var providers: [Provider]
    }

    /// timesheet `GET /providers/{id}/entries`: an NGO's entries, newest version each.
    struct EntryList: Decodable, Sendable {
        struct Entry: Decodable, Sendable {
            var entryID: String
            var sequence: Int
            var assistantID: String
            var start: Date
            var end: Date
            var activity: String
            var outcome: String
            var code: String?
            var message: String?
            var minutes: Int?
            var counts: Bool
            var contest: Contest?
        }
        var entries: [Entry]
        var truncated: Bool
    }

    /// eligibility's decision: ids, group, hours and reasons, no personal data.
    struct Decision: Decodable, Sendable {
        struct Period: Decodable, Sendable {
            var start: String
            var end: String
        }
        struct HoursBasis: Decodable, Sendable {
            var explanation: String
        }
        /// A statutory scheme's grant: hours a month, `hours` being their total.
        struct MonthlyBudget: Decodable, Sendable {
            var hoursPerMonth: Int
            var carryOver: Bool
            var explanation: String?
        }
        var id: String
        var applicationID: String
        var participantID: String
        var editionID: String
        var outcome: DecisionOutcome
        var reasons: [RejectionReason]
        var missingDocuments: [String]
        var group: ParticipantGroup?
        var hours: Int?
        var period: Period?
        var decidedOn: String
        var review: DecisionReview
        var state: String
        var grantID: String?
        var hoursBasis: HoursBasis?
        var monthlyBudget: MonthlyBudget?

        /// "120 godz." under the programme; "40 godz. miesięcznie (razem 2400 godz.)" under a statute.
        var hoursText: String? {
            guard let hours else { return nil }
            guard let monthly = monthlyBudget else { return "\(hours) godz." }
            return "\(monthly.hoursPerMonth) godz. miesięcznie (razem \(hours) godz.)"
        }
    }

    /// eligibility `GET /decisions`: a page, the next page's cursor and how many the filter selects.
    struct Decisions: Decodable, Sendable {
        var decisions: [Decision]
        var next: String?
        var total: Int
    }

    /// reporting `GET /editions/{id}/report`: the parts the report's pages chart.
    /// Hours and amounts come as decimal strings ("1234.50"), as the exports hold them.
    struct Report: Decodable, Sendable {
        struct Edition: Decodable, Sendable {
            var id: String
            var name: String
        }
        struct Range: Decodable, Sendable {
            var from: String
            var to: String
        }
        struct Participants: Decodable, Sendable {
            var group: String
            var label: String
            var granted: Int
            var served: Int
        }
        struct Month: Decodable, Sendable {
            var month: String
            var hours: String
            var entries: Int
            var participantsServed: Int
        }
        struct Provider: Decodable, Sendable {
            /// Absent on the total row.
            var providerID: String?
            var name: String
            var hours: String
            var hoursCost: String
        }
        struct Budget: Decodable, Sendable {
            var source: String
            var label: String
            var plan: String
            var spent: String
            var percent: String?
            var remaining: String
        }
        struct Target: Decodable, Sendable {
            var indicator: String
            var label: String
            var target: Int
            var achieved: String
            var percent: String?
        }
        struct MonthStatus: Decodable, Sendable {
            var month: String
            var closed: Bool
            var closedAt: Date?
        }
        /// A change to a closed month, reported in the next open one.
        struct Correction: Decodable, Sendable {
            var reportedIn: String
            var month: String
            var providerID: String
            var kind: String
            var minutesDelta: Int
            var hoursCostDelta: String
            var reason: String
        }
        var edition: Edition
        var range: Range
        var months: [MonthStatus]
        var corrections: [Correction]
        var participants: [Participants]
        var hoursByMonth: [Month]
        var hoursByProvider: [Provider]
        var budget: [Budget]
        var targets: [Target]
    }

    /// eligibility `GET /decisions/{id}/audit`: who changed the decision, when and why.
    struct AuditEntry: Decodable, Sendable {
        var action: String
        var operatorName: String
        var justification: String
        var at: Date
    }
}

extension ServiceClient {
    /// The NGOs of the programme (public to every role).
    func providers(as account: Account) async throws -> [ServiceRecords.Provider] {
        try await get([ServiceRecords.Provider].self, from: .ordering, "/providers", as: account)
    }

    /// One order, if `account` may see it (ordering answers 404 for another's,
    /// an assistant's colleague's, or one not there): otherwise the not-found page.
    func order(_ orderID: String, as account: Account) async throws -> ServiceRecords.Order {
        let answer = try await send(.GET, .ordering, "/orders/\(orderID.urlComponentEncoded)", as: account)
        guard answer.status == .ok, let order = try? JSONDecoder().decode(ServiceRecords.Order.self, from: answer.body) else {
            throw PortalDenial.notFound
        }
        return order
    }

    /// A participant's orders (their own token: ordering answers only for them).
    func orders(of participant: Account) async throws -> [ServiceRecords.Order] {
        try await get([ServiceRecords.Order].self, from: .ordering, "/participants/\(participant.participantID ?? "")/orders", as: participant)
    }

    /// The orders assigned to an assistant, as the assistant sees them.
    func assignedOrders(of assistant: Account) async throws -> [ServiceRecords.Order] {
        try await get(
            [ServiceRecords.Order].self, from: .ordering,
            "/providers/\(assistant.providerID ?? "")/assistants/\(assistant.assistantID ?? "")/orders", as: assistant)
    }

    /// An NGO's assistants, as `account` may see them.
    /// The NGOs' names by id.
    func providerNames(as account: Account) async throws -> [String: String] {
        Dictionary(try await providers(as: account).map { ($0.providerID, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func assistants(of providerID: String, as account: Account) async throws -> [ServiceRecords.Assistant] {
        try await get([ServiceRecords.Assistant].self, from: .ordering, "/providers/\(providerID)/assistants", as: account)
    }
}
