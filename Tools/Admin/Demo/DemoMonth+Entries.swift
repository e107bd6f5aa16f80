import ArgumentParser
import Domain
import Foundation

extension DemoMonth {
    /// What each NGO reports for its assigned orders: the whole service, with a
    /// bus ticket; for the 1-hour-a-month participant the second service ran 15
    /// minutes over the order (inside timesheet's tolerance), past what the grant has left.
    func deliveredRecords(
        orders: [(order: Order, assignment: Assignment)], small: [(order: Order, assignment: Assignment)], state: DemoState, month: String
    ) throws -> [NGORecord] {
        var records = try orders.map { try record(for: $0, state: state, month: month, intent: "delivered as ordered") }
        for (index, placed) in small.enumerated() {
            let overrun = index == 1
            var entry = try record(for: placed, state: state, month: month, intent: overrun ? "over the allowance" : "delivered as ordered")
            if overrun { entry.entry.end = entry.entry.end.addingTimeInterval(15 * 60) }
            records.append(entry)
        }
        return records
    }

    /// Records wrong on purpose, each against one of the first orders:
    /// overlapping the assistant's own entry, a forged signature, another NGO's
    /// order, a void without a reason — and a void with one, which is fine.
    func wrongRecords(
        orders: [(order: Order, assignment: Assignment)], state: DemoState, month: String, assistants: [String: [String]]
    ) throws -> [NGORecord] {
        guard orders.count >= 5 else { throw ValidationError("only \(orders.count) orders were placed; the demo needs 5 for its wrong entries") }
        var overlapping = try record(for: orders[0], state: state, month: month, intent: "overlapping the assistant's entry", suffix: "b")
        overlapping.entry.start = overlapping.entry.start.addingTimeInterval(3600)
        overlapping.entry.end = overlapping.entry.start.addingTimeInterval(3600)

        var forged = try record(for: orders[1], state: state, month: month, intent: "bad signature", suffix: "x")
        forged.forged = true

        let owner = orders[2].assignment.providerID
        guard let intruder = assistants.keys.sorted().first(where: { $0 != owner }), let intruderAssistant = assistants[intruder]?.first,
            let intruderKey = state.key(of: intruder)
        else { throw ValidationError("no second NGO with an assistant and a key; run `asysta-admin demo load`") }
        var foreign = try record(for: orders[2], state: state, month: month, intent: "another NGO's order")
        foreign.entry.providerID = ProviderID(intruder)
        foreign.entry.assistantID = AssistantID(intruderAssistant)
        foreign.key = intruderKey

        var voidWithoutReason = try record(for: orders[3], state: state, month: month, intent: "void without a reason")
        voidWithoutReason.entry.sequence = 2
        voidWithoutReason.entry.action = .void

        var void = try record(for: orders[4], state: state, month: month, intent: "void with a reason")
        void.entry.sequence = 2
        void.entry.action = .void
        void.entry.reason = "The participant cancelled at the door."
        return [overlapping, forged, foreign, voidWithoutReason, void]
    }

    /// The entry an NGO sends for the whole of an assigned order.
    func record(
        for placed: (order: Order, assignment: Assignment), state: DemoState, month: String, intent: String, suffix: String = ""
    ) throws -> NGORecord {
        let provider = placed.assignment.providerID
        guard let key = state.key(of: provider) else {
            throw ValidationError("no signing key for \(provider) in \(state.directory.path); run `asysta-admin demo load`")
        }
        guard let start = Timestamp.parse(placed.order.startsAt), let end = Timestamp.parse(placed.order.endsAt),
            let activity = ActivityCategory(rawValue: placed.order.activity)
        else { throw ValidationError("order \(placed.order.orderID) has unreadable times") }
        let entry = TimesheetEntrySubmitted(
            providerID: ProviderID(provider), entryID: "DEMO/\(month)/\(placed.order.orderID)\(suffix)", sequence: 1,
            assistantID: AssistantID(placed.assignment.assistantID), orderID: OrderID(placed.order.orderID),
            participantID: ParticipantID(placed.order.participantID),
            start: start, end: end, activity: activity,
            expenses: Expenses(travel: Money(grosze: 680), tickets: .zero, protectiveEquipment: .zero)
        )
        return NGORecord(entry: entry, key: key, intent: intent)
    }
}
