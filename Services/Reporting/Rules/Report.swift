import Domain
import FoundationEssentials

/// A number with two decimal places kept as hundredths (12.50 h is 1250), so
/// sums are exact and every export prints it the same way. JSON: "12.50".
struct Fixed2: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    var hundredths: Int64

    init(hundredths: Int64) { self.hundredths = hundredths }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let money = Money(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a number like \"12.50\""))
        }
        hundredths = money.grosze
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// "12.50", "-0.25"
    var description: String { Money(grosze: hundredths).description }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.hundredths < rhs.hundredths }
}

/// The ministry report for an edition and a range of months: what the JSON form
/// serialises, and what the CSV and XLSX tables are laid out from.
struct Report: Sendable, Codable, Equatable {
    struct Edition: Sendable, Codable, Equatable {
        var id: EditionID
        var name: String
        var period: DateRange
        var hourlyRateCap: Money
    }

    struct MonthStatus: Sendable, Codable, Equatable {
        var month: YearMonth
        var closed: Bool
        var closedAt: Date?
    }

    struct ParticipantsLine: Sendable, Codable, Equatable {
        var group: String
        var multipleDisabilities: Bool?
        var label: String
        var granted: Int64
        var served: Int64
    }

    struct MonthLine: Sendable, Codable, Equatable {
        /// "2022-05", or "total" for the range's line.
        var month: String
        var closed: Bool?
        var minutes: Int64
        var hours: Fixed2
        var entries: Int64
        var participantsServed: Int64
        var assistantsActive: Int64
    }

    struct ProviderLine: Sendable, Codable, Equatable {
        var providerID: ProviderID?
        var name: String
        var contractedRate: Money?
        var settlementRate: Money?
        var minutes: Int64
        var hours: Fixed2
        var hoursCost: Money
    }

    struct GroupLine: Sendable, Codable, Equatable {
        var group: String
        var multipleDisabilities: Bool?
        var label: String
        var minutes: Int64
        var hours: Fixed2
        var hoursCost: Money
    }

    struct DetailLine: Sendable, Codable, Equatable {
        var month: YearMonth
        var providerID: ProviderID
        var group: String
        var multipleDisabilities: Bool
        var minutes: Int64
        var hours: Fixed2
        var hoursCost: Money
        var entries: Int64
    }

    struct CostLine: Sendable, Codable, Equatable {
        /// "2022-05", or "total".
        var month: String
        var providerID: ProviderID?
        var name: String
        var hoursCost: Money
        var travel: Money
        var tickets: Money
        var protectiveEquipment: Money
        var total: Money
    }

    struct BudgetLine: Sendable, Codable, Equatable {
        /// "ministry-grant", "municipal-contribution" or "total".
        var source: String
        var label: String
        var plan: Money
        var spent: Money
        var percent: Fixed2?
        var remaining: Money
    }

    struct TargetLine: Sendable, Codable, Equatable {
        /// "participants" or "hours".
        var indicator: String
        var label: String
        var target: Int64
        var achieved: Fixed2
        var percent: Fixed2?
    }

    struct EvaluationLine: Sendable, Codable, Equatable {
        var providerID: ProviderID
        var name: String
        var ratedServices: Int64
        var question: String
        var average: Fixed2
        var answers: Int64
    }

    struct OrderLine: Sendable, Codable, Equatable {
        var month: YearMonth
        var placed: Int64
        var assigned: Int64
        var cancelled: Int64
    }

    /// What participants said of a month's hours of one NGO on their cards.
    struct ConfirmationLine: Sendable, Codable, Equatable {
        var month: YearMonth
        var providerID: ProviderID
        var name: String
        var deliveredHours: Fixed2
        var confirmedHours: Fixed2
        var contestedHours: Fixed2
        /// Delivered less confirmed and contested, never below zero.
        var unconfirmedHours: Fixed2
    }

    struct CorrectionLine: Sendable, Codable, Equatable {
        var reportedIn: YearMonth
        var month: YearMonth
        var providerID: ProviderID
        var group: String
        var multipleDisabilities: Bool
        var kind: LateChangeRow.Kind
        var minutesDelta: Int64
        var hoursDelta: Fixed2
        var hoursCostDelta: Money
        /// Change of what the programme covers of the assistant's expenses, after the caps.
        var coveredExpensesDelta: Money
        var reason: String
    }

    var edition: Edition
    var range: MonthRange
    var months: [MonthStatus]
    var participants: [ParticipantsLine]
    var hoursByMonth: [MonthLine]
    var hoursByProvider: [ProviderLine]
    var hoursByGroup: [GroupLine]
    var hoursDetail: [DetailLine]
    var costs: [CostLine]
    var budget: [BudgetLine]
    var targets: [TargetLine]
    var evaluation: [EvaluationLine]
    var orders: [OrderLine]
    var corrections: [CorrectionLine]
    var confirmations: [ConfirmationLine]
    var notes: [String]
}
