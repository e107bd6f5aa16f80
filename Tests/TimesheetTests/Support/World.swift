import Domain
import Foundation

/// Reference data as the other services announce it: the 2022 edition from its
/// file, NGOs, their assistants, granted participants and assigned orders.
struct World: Sendable {
    var edition: EditionRules
    var providers: [ProviderRegistered] = []
    var assistants: [AssistantRegistered] = []
    var grants: [SupportGranted] = []
    var orders: [OrderPlaced] = []
    var assignments: [OrderAssigned] = []

    static func edition2022() throws -> EditionRules {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../deploy/editions/2022.json")
        return try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: url))
    }

    init() throws {
        edition = try Self.edition2022()
    }

    /// Local time in Poland: `World.at("2022-06-01 10:00")`.
    static func at(_ text: String) -> Date {
        Timestamp.parse(text.replacingOccurrences(of: " ", with: "T") + ":00+02:00")!
    }

    mutating func provider(_ id: String) {
        providers.append(ProviderRegistered(providerID: ProviderID(id), editionID: edition.id, name: "NGO \(id)", hourlyRate: Money(zloty: 40)))
    }

    mutating func assistant(_ id: String, of provider: String) {
        assistants.append(AssistantRegistered(assistantID: AssistantID(id), providerID: ProviderID(provider), skills: []))
    }

    mutating func participant(_ id: String, hours: Int) {
        grants.append(
            SupportGranted(
                grantID: GrantID("g-\(id)"), participantID: ParticipantID(id), applicationID: ApplicationID("app-\(id)"),
                editionID: edition.id, group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false),
                hours: hours, period: edition.period, grantedOn: edition.period.start))
    }

    mutating func order(_ id: String, participant: String, assistant: String, of provider: String, from start: Date, to end: Date) {
        orders.append(
            OrderPlaced(
                orderID: OrderID(id), participantID: ParticipantID(participant), grantID: GrantID("g-\(participant)"), editionID: edition.id,
                start: start, end: end, activity: .errands, requiredSkills: []))
        assignments.append(
            OrderAssigned(
                orderID: OrderID(id), participantID: ParticipantID(participant), editionID: edition.id,
                providerID: ProviderID(provider), assistantID: AssistantID(assistant), start: start, end: end))
    }

    func publish(with harness: Harness) async throws {
        try await harness.publish([EditionPublished(rules: edition)], source: "/asysta/eligibility")
        try await harness.publish(providers, source: "/asysta/ordering")
        try await harness.publish(assistants, source: "/asysta/ordering")
        try await harness.publish(grants, source: "/asysta/eligibility")
        try await harness.publish(orders, source: "/asysta/ordering")
        try await harness.publish(assignments, source: "/asysta/ordering")
    }

    /// Two NGOs, three assistants, three participants and orders on 1 June 2022.
    static func small() throws -> World {
        var world = try World()
        world.provider("ngo-a")
        world.provider("ngo-b")
        world.assistant("a-1", of: "ngo-a")
        world.assistant("a-2", of: "ngo-a")
        world.assistant("b-1", of: "ngo-b")
        world.participant("u-1", hours: 10)
        world.participant("u-2", hours: 100)
        world.participant("u-3", hours: 100)
        let from = at("2022-06-01 06:00")
        let to = at("2022-06-02 06:00")
        world.order("o-1", participant: "u-1", assistant: "a-1", of: "ngo-a", from: from, to: to)
        world.order("o-2", participant: "u-2", assistant: "a-1", of: "ngo-a", from: from, to: to)
        world.order("o-3", participant: "u-2", assistant: "a-2", of: "ngo-a", from: from, to: to)
        world.order("o-4", participant: "u-3", assistant: "b-1", of: "ngo-b", from: from, to: to)
        world.order("o-5", participant: "u-2", assistant: "a-2", of: "ngo-a", from: at("2022-05-10 06:00"), to: at("2022-05-10 20:00"))
        return world
    }

    static func entry(
        _ id: String, sequence: Int = 1, action: TimesheetEntrySubmitted.Action = .submit, provider: String = "ngo-a", assistant: String = "a-1",
        order: String = "o-1", participant: String = "u-1", from start: String = "2022-06-01 10:00", to end: String = "2022-06-01 12:00",
        reason: String? = nil
    ) -> TimesheetEntrySubmitted {
        TimesheetEntrySubmitted(
            providerID: ProviderID(provider), entryID: id, sequence: sequence, action: action, assistantID: AssistantID(assistant),
            orderID: OrderID(order), participantID: ParticipantID(participant), start: at(start), end: at(end), activity: .errands,
            reason: reason, expenses: Expenses(travel: Money(grosze: 740)))
    }
}
