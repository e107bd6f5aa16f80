import Domain
import FoundationEssentials

/// What an edition's report is built from: small rows read from the read models
/// (sums per month × provider × participant, per assistant × month, per provider ×
/// question), never per entry. Building the report from it is pure.
struct ReadModelSnapshot: Sendable, Equatable {
    var edition: EditionFacts
    var range: MonthRange
    /// Every closed month of the edition and when it was closed.
    var closedMonths: [YearMonth: Date]
    /// Minutes and costs of the months in range, by provider and group (frozen for closed months).
    var deliveries: [DeliveryRow]
    /// Participants per group over the range.
    var participants: [ParticipantCountRow]
    /// Distinct participants served and assistants active per month in range.
    var monthActivity: [MonthActivityRow]
    /// The same, distinct over the whole range.
    var rangeActivity: ActivityCounts
    /// Expenses as reported, summed per assistant and month, for the months in range.
    var assistantExpenses: [AssistantExpenseRow]
    /// Every change of the edition that reached a month after it was closed.
    var lateChanges: [LateChangeRow]
    /// The frozen reported expenses of the (assistant, month) pairs late changes touch.
    var lateBaseExpenses: [AssistantExpenseRow]
    var ratings: [RatingRow]
    var ratedServices: [RatedServicesRow]
    var orders: [OrderMonthRow]
    /// Minutes participants confirmed and contested, per month in range and provider (as said before a month closed).
    var confirmations: [ConfirmationRow] = []
}

/// An edition as reporting knows it, from `EditionPublished` (and `ProviderRegistered`
/// for providers the edition file does not list).
struct EditionFacts: Sendable, Equatable {
    var id: EditionID
    var name: String
    var period: DateRange
    var rateCap: Money
    var budget: Budget
    var targets: Targets
    var expenseCaps: ExpenseCaps
    var providers: [ProviderFacts]
    /// What grants are pro-rated from, for the notes that explain a grant's hours.
    var hourCaps: HourCaps?
    var monthlyHourLimit: Int?
    /// Under a statute: the day of the following month a month's settlement is due.
    var settlementDeadlineDay: Int? = nil

    init(
        id: EditionID, name: String, period: DateRange, rateCap: Money, budget: Budget, targets: Targets, expenseCaps: ExpenseCaps,
        providers: [ProviderFacts],
        hourCaps: HourCaps? = nil, monthlyHourLimit: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.period = period
        self.rateCap = rateCap
        self.budget = budget
        self.targets = targets
        self.expenseCaps = expenseCaps
        self.providers = providers
        self.hourCaps = hourCaps
        self.monthlyHourLimit = monthlyHourLimit
    }

    init(_ rules: EditionRules) {
        self.init(
            id: rules.id, name: rules.name, period: rules.period, rateCap: rules.hourlyRateCap, budget: rules.budget,
            targets: rules.targets, expenseCaps: rules.expenseCaps,
            providers: rules.providers.map { ProviderFacts(id: $0.id, name: $0.name, contractedRate: $0.hourlyRate) },
            hourCaps: rules.annualHourCaps, monthlyHourLimit: rules.monthlyHourLimit
        )
        settlementDeadlineDay = rules.statute?.settlementDeadlineDay
    }
}

struct ProviderFacts: Sendable, Equatable {
    var id: ProviderID
    var name: String
    var contractedRate: Money
}

/// A participant group as reported; `category` is nil for a participant whose grant
/// reporting has not seen (it should not happen: timesheet accounts only granted people).
struct GroupKey: Hashable, Comparable, Sendable {
    var category: ParticipantGroup.Category?
    var multipleDisabilities: Bool

    init(category: ParticipantGroup.Category?, multipleDisabilities: Bool) {
        self.category = category
        self.multipleDisabilities = multipleDisabilities
    }

    init(_ group: ParticipantGroup?) {
        self.init(category: group?.category, multipleDisabilities: group?.multipleDisabilities ?? false)
    }

    static let all: [GroupKey] = ParticipantGroup.Category.allCases.flatMap { category in
        [false, true].map { GroupKey(category: category, multipleDisabilities: $0) }
    }

    private var rank: Int {
        switch category {
        case .child: 0
        case .adultSignificant: 1
        case .adultModerate: 2
        case nil: 3
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.rank, lhs.multipleDisabilities ? 1 : 0) < (rhs.rank, rhs.multipleDisabilities ? 1 : 0)
    }

    /// The code in JSON: the category's raw value, or "unknown".
    var code: String { category?.rawValue ?? "unknown" }

    /// The row's name on its own, so a printed row needs no other column to be told
    /// apart: "Dorośli – stopień znaczny, niepełnosprawność sprzężona".
    var label: String {
        let category =
            switch category {
            case .child: "Dzieci z orzeczeniem o niepełnosprawności"
            case .adultSignificant: "Dorośli – stopień znaczny"
            case .adultModerate: "Dorośli – stopień umiarkowany"
            case nil: "Bez decyzji w danych"
            }
        return multipleDisabilities ? category + ", niepełnosprawność sprzężona" : category
    }

    var multipleLabel: String { multipleDisabilities ? "tak" : "nie" }
}

struct DeliveryRow: Sendable, Equatable {
    var month: YearMonth
    var provider: ProviderID
    var group: GroupKey
    var minutes: Int64
    var cost: Money
    var entries: Int64
}

struct ParticipantCountRow: Sendable, Equatable {
    var group: GroupKey
    /// Holding a grant active on at least one day of the range (revocations end it).
    var granted: Int64
    /// With at least one accounted minute in the range.
    var served: Int64
}

struct ActivityCounts: Sendable, Equatable {
    var participantsServed: Int64
    var assistantsActive: Int64
}

struct MonthActivityRow: Sendable, Equatable {
    var month: YearMonth
    var counts: ActivityCounts
}

struct AssistantExpenseRow: Sendable, Equatable {
    var month: YearMonth
    var assistant: AssistantID
    var provider: ProviderID
    var reported: Expenses
}

/// One change to a month that had been closed before the change happened.
struct LateChangeRow: Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case accounted, corrected, voided
    }

    var month: YearMonth
    var provider: ProviderID
    var group: GroupKey
    var assistant: AssistantID
    var kind: Kind
    var minutesDelta: Int64
    var costDelta: Money
    /// Signed differences of the reported expenses.
    var expensesDelta: Expenses
    var eventTime: Date
    /// Breaks ties between changes of the same instant: the event's id and part.
    var orderKey: String
    var reason: String?
}

struct RatingRow: Sendable, Equatable {
    var provider: ProviderID
    var question: String
    var sum: Int64
    var count: Int64
}

struct RatedServicesRow: Sendable, Equatable {
    var provider: ProviderID
    var ratings: Int64
}

struct OrderMonthRow: Sendable, Equatable {
    var month: YearMonth
    var placed: Int64
    var assigned: Int64
    var cancelled: Int64
}

struct ConfirmationRow: Sendable, Equatable {
    var month: YearMonth
    var provider: ProviderID
    var confirmedMinutes: Int64
    var contestedMinutes: Int64
}
