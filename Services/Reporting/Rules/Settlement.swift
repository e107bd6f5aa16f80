import Domain
import FoundationEssentials

/// The monthly settlement of delivered hours (rozliczenie miesięczne), in the shape a
/// national settlement needs: one line per provider and participant of a closed month,
/// with the month's dates. Built from a closed month only, whose figures no longer
/// change (a later correction goes to the corrections ledger), so its bytes are the
/// same today, tomorrow and after a replay into a fresh database.
struct Settlement: Codable, Sendable, Equatable {
    struct Line: Codable, Sendable, Equatable {
        var providerID: ProviderID
        var provider: String
        /// Pseudonymous: the person behind it is known to intake alone.
        var participantID: ParticipantID
        var minutes: Int64
        var hours: Fixed2
        var visits: Int64
        /// min(contracted rate, the edition's cap); absent for a provider without a known rate.
        var settlementRate: Money?
        var cost: Money
    }

    struct ProviderTotal: Codable, Sendable, Equatable {
        var providerID: ProviderID
        var provider: String
        var participants: Int
        var minutes: Int64
        var hours: Fixed2
        var visits: Int64
        var cost: Money
    }

    var editionID: EditionID
    var edition: String
    var month: YearMonth
    /// The Polish day the month was closed.
    var closedOn: CalendarDate
    /// When providers' report for the month is due under a statute; absent for a programme edition.
    var deadline: CalendarDate?
    var lines: [Line]
    var providers: [ProviderTotal]
    var total: ProviderTotal

    /// The delivered minutes, visits and costs of a closed month per provider and participant.
    struct Row: Sendable, Equatable {
        var providerID: ProviderID
        var participantID: ParticipantID
        var minutes: Int64
        var visits: Int64
        var cost: Money
    }

    /// Lines by provider name then participant; providers by name, then their sum.
    static func build(edition: EditionFacts, month: YearMonth, closedAt: Date, rows: [Row]) -> Settlement {
        let providers = Dictionary(uniqueKeysWithValues: edition.providers.map { ($0.id, $0) })
        func name(_ id: ProviderID) -> String { providers[id]?.name ?? id.rawValue }
        let lines = rows.filter { $0.minutes != 0 || $0.visits != 0 }.map { row in
            Line(
                providerID: row.providerID, provider: name(row.providerID), participantID: row.participantID, minutes: row.minutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: row.minutes)), visits: row.visits,
                settlementRate: providers[row.providerID].map { Costing.settlementRate(contracted: $0.contractedRate, cap: edition.rateCap) },
                cost: row.cost)
        }
        .sorted {
            ($0.provider, $0.providerID.rawValue, $0.participantID.rawValue) < ($1.provider, $1.providerID.rawValue, $1.participantID.rawValue)
        }
        func total(_ lines: [Line], id: ProviderID, provider: String) -> ProviderTotal {
            let minutes = lines.reduce(0) { $0 + $1.minutes }
            return ProviderTotal(
                providerID: id, provider: provider, participants: Set(lines.map(\.participantID)).count, minutes: minutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: minutes)), visits: lines.reduce(0) { $0 + $1.visits },
                cost: lines.reduce(Money.zero) { $0 + $1.cost })
        }
        let byProvider = Dictionary(grouping: lines, by: \.providerID)
            .map { total($0.value, id: $0.key, provider: name($0.key)) }
            .sorted { ($0.provider, $0.providerID.rawValue) < ($1.provider, $1.providerID.rawValue) }
        return Settlement(
            editionID: edition.id, edition: edition.name, month: month, closedOn: CalendarDate(closedAt),
            deadline: edition.settlementDeadline(of: month), lines: lines, providers: byProvider,
            total: total(lines, id: ProviderID("total"), provider: "Razem"))
    }

    /// The `day`-th of the month after `month`.
    static func deadline(of month: YearMonth, day: Int) -> CalendarDate {
        CalendarDate(year: month.next.year, month: month.next.month, day: day)!
    }

    /// The tables of its CSV and XLSX forms: the month's dates, the lines, the providers' sums.
    var tables: [ReportTable] {
        let closedText = closedOn.description
        return [
            ReportTable(
                key: "miesiac", title: "Rozliczenie miesiąca", headers: ["Pole", "Wartość"],
                rows: [
                    [.text("Edycja"), .text(edition)], [.text("Miesiąc"), .text(month.description)],
                    [.text("Zamknięty"), .text(closedText)], [.text("Termin rozliczenia"), deadline.map { .text($0.description) } ?? .empty],
                ]),
            ReportTable(
                key: "wizyty", title: "Godziny wg uczestników",
                headers: ["Organizacja", "Uczestnik", "Minuty", "Godziny", "Liczba wizyt", "Stawka rozliczeniowa", "Kwota"],
                rows: lines.map {
                    [
                        .text($0.provider), .text($0.participantID.rawValue), .integer($0.minutes), .fixed($0.hours), .integer($0.visits),
                        $0.settlementRate.map { .money($0) } ?? .empty, .money($0.cost),
                    ]
                }),
            ReportTable(
                key: "organizacje", title: "Godziny wg organizacji",
                headers: ["Organizacja", "Uczestnicy", "Minuty", "Godziny", "Liczba wizyt", "Kwota"],
                rows: (providers + [total]).map {
                    [
                        .text($0.provider), .integer(Int64($0.participants)), .integer($0.minutes), .fixed($0.hours), .integer($0.visits),
                        .money($0.cost),
                    ]
                }),
        ]
    }
}

extension EditionFacts {
    /// When providers' report for `month` is due: under a statute, its deadline day of the next month.
    func settlementDeadline(of month: YearMonth) -> CalendarDate? {
        settlementDeadlineDay.map { Settlement.deadline(of: month, day: $0) }
    }
}

/// One month of an edition on the settlement calendar.
struct SettlementMonth: Codable, Sendable, Equatable {
    var month: YearMonth
    /// Under a statute: the day providers' report for the month is due.
    var deadline: CalendarDate?
    /// The Polish day the month was closed; absent while it is open.
    var closedOn: CalendarDate?
    /// Whether it was closed by its deadline; absent without one or while open.
    var closedByDeadline: Bool?
}
