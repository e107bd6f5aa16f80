import Foundation

/// The parts of reporting's JSON report the demo prints.
struct ReportSummary: Decodable, Sendable {
    struct Participants: Decodable, Sendable {
        var label: String
        var multipleDisabilities: Bool?
        var granted: Int
        var served: Int
        var name: String { label + (multipleDisabilities == true ? " (niepełnosprawność sprzężona)" : "") }
    }
    struct ProviderHours: Decodable, Sendable {
        var name: String
        var hours: String
        var hoursCost: String
    }
    struct Cost: Decodable, Sendable {
        var month: String
        var name: String
        var hoursCost: String
        var travel: String
        var tickets: String
        var protectiveEquipment: String
        var total: String
    }
    struct Budget: Decodable, Sendable {
        var label: String
        var plan: String
        var spent: String
        var percent: String?
        var remaining: String
    }
    var participants: [Participants]
    var hoursByProvider: [ProviderHours]
    var costs: [Cost]
    var budget: [Budget]

    func printMonth(_ month: String) {
        print("\nParticipants by group, \(month)")
        table(["group", "granted", "served"], participants.map { [$0.name, "\($0.granted)", "\($0.served)"] })
        print("\nHours per provider, \(month)")
        table(["provider", "hours", "cost (zł)"], hoursByProvider.map { [$0.name, $0.hours, $0.hoursCost] })
        print("\nCosts, \(month) (zł)")
        table(
            ["provider", "hours", "travel", "tickets", "equipment", "total"],
            costs.map { [$0.name, $0.hoursCost, $0.travel, $0.tickets, $0.protectiveEquipment, $0.total] })
    }

    func printBudget(_ range: String) {
        print("\nBudget execution, \(range) (zł)")
        table(["source", "plan", "spent", "%", "remaining"], budget.map { [$0.label, $0.plan, $0.spent, $0.percent ?? "", $0.remaining] })
    }
}

/// Prints rows in columns: the first left-aligned, the others right-aligned.
func table(_ header: [String], _ rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        print(
            "  "
                + row.enumerated().map { column, text in
                    let pad = String(repeating: " ", count: widths[column] - text.count)
                    return column == 0 ? text + pad : pad + text
                }.joined(separator: "  "))
    }
}
