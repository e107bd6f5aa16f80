import Domain

/// One table of the ministry export: a CSV section and an XLSX sheet. Cells keep
/// their kind, so CSV prints "1234,50 zł" and XLSX stores 1234.5 with a money format.
struct ReportTable: Sendable, Equatable {
    enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        /// Two decimals, kept in hundredths.
        case fixed(Fixed2)
        case money(Money)
        case empty
    }

    /// The `?table=` value: ASCII, stable.
    var key: String
    /// The sheet's name (at most 31 characters) and the CSV section's title.
    var title: String
    var headers: [String]
    var rows: [[Cell]]
}

/// Polish number formatting for people: decimal comma, no grouping (so that a
/// spreadsheet reads the figure back as a number), "zł" after amounts.
enum PolishNumber {
    static func fixed(_ hundredths: Int64) -> String {
        Money(grosze: hundredths).description.replacing(".", with: ",")
    }

    static func money(_ amount: Money) -> String { fixed(amount.grosze) + " zł" }
}

extension Optional where Wrapped == Fixed2 {
    var cell: ReportTable.Cell { map { .fixed($0) } ?? .empty }
}

extension ReportTable {
    /// Every table of a report, in the order of the export.
    static func tables(of report: Report) -> [ReportTable] {
        func yesNo(_ value: Bool?) -> ReportTable.Cell { value.map { .text($0 ? "tak" : "nie") } ?? .empty }
        func monthLabel(_ month: String) -> String { month == "total" ? "Razem" : month }
        let corrections = report.corrections
        return [
            ReportTable(
                key: "uczestnicy", title: "Uczestnicy",
                headers: ["Grupa", "Niepełnosprawność sprzężona", "Objęci decyzją w okresie", "Z godzinami zrealizowanymi w okresie"],
                rows: report.participants.map { [.text($0.label), yesNo($0.multipleDisabilities), .integer($0.granted), .integer($0.served)] }
            ),
            ReportTable(
                key: "godziny-miesiace", title: "Godziny wg miesięcy",
                headers: ["Miesiąc", "Miesiąc zamknięty", "Godziny", "Liczba wpisów", "Uczestnicy z godzinami", "Aktywni asystenci"],
                rows: report.hoursByMonth.map {
                    [
                        .text(monthLabel($0.month)), yesNo($0.closed), .fixed($0.hours), .integer($0.entries), .integer($0.participantsServed),
                        .integer($0.assistantsActive),
                    ]
                }
            ),
            ReportTable(
                key: "godziny-organizacje", title: "Godziny wg organizacji",
                headers: ["Organizacja", "Stawka z umowy", "Stawka rozliczeniowa", "Godziny", "Koszt godzin"],
                rows: report.hoursByProvider.map {
                    [
                        .text($0.name), $0.contractedRate.map { .money($0) } ?? .empty, $0.settlementRate.map { .money($0) } ?? .empty,
                        .fixed($0.hours), .money($0.hoursCost),
                    ]
                }
            ),
            ReportTable(
                key: "godziny-grupy", title: "Godziny wg grup",
                headers: ["Grupa", "Niepełnosprawność sprzężona", "Godziny", "Koszt godzin"],
                rows: report.hoursByGroup.map { [.text($0.label), yesNo($0.multipleDisabilities), .fixed($0.hours), .money($0.hoursCost)] }
            ),
            ReportTable(
                key: "godziny-szczegoly", title: "Godziny szczegółowo",
                headers: ["Miesiąc", "Organizacja", "Grupa", "Niepełnosprawność sprzężona", "Godziny", "Koszt godzin", "Liczba wpisów"],
                rows: report.hoursDetail.map { line in
                    let name = report.hoursByProvider.first { $0.providerID == line.providerID }?.name ?? line.providerID.rawValue
                    return [
                        .text(line.month.description), .text(name), .text(GroupKey(code: line.group, multiple: line.multipleDisabilities).label),
                        yesNo(line.multipleDisabilities), .fixed(line.hours), .money(line.hoursCost), .integer(line.entries),
                    ]
                }
            ),
            ReportTable(
                key: "koszty", title: "Koszty",
                headers: ["Miesiąc", "Organizacja", "Wynagrodzenie asystentów (godziny)", "Dojazdy", "Bilety", "Środki ochrony", "Razem"],
                rows: report.costs.map {
                    [
                        .text(monthLabel($0.month)), .text($0.name), .money($0.hoursCost), .money($0.travel), .money($0.tickets),
                        .money($0.protectiveEquipment), .money($0.total),
                    ]
                }
            ),
            ReportTable(
                key: "budzet", title: "Wykonanie budżetu",
                headers: ["Źródło finansowania", "Plan", "Wykonanie", "Wykonanie %", "Pozostało"],
                rows: report.budget.map { [.text($0.label), .money($0.plan), .money($0.spent), $0.percent.cell, .money($0.remaining)] }
            ),
            ReportTable(
                key: "cele", title: "Realizacja celów",
                headers: ["Wskaźnik", "Wartość docelowa", "Wykonanie", "Wykonanie %"],
                rows: report.targets.map { [.text($0.label), .integer($0.target), .fixed($0.achieved), $0.percent.cell] }
            ),
            ReportTable(
                key: "ewaluacja", title: "Ewaluacja",
                headers: ["Organizacja", "Liczba ocenionych usług", "Pytanie", "Średnia ocena", "Liczba odpowiedzi"],
                rows: report.evaluation.map {
                    [.text($0.name), .integer($0.ratedServices), .text($0.question), .fixed($0.average), .integer($0.answers)]
                }
            ),
            ReportTable(
                key: "zamowienia", title: "Zamówienia",
                headers: ["Miesiąc", "Złożone", "Przydzielone", "Anulowane"],
                rows: report.orders.map { [.text($0.month.description), .integer($0.placed), .integer($0.assigned), .integer($0.cancelled)] }
            ),
            ReportTable(
                key: "potwierdzenia", title: "Potwierdzenia uczestników",
                headers: ["Miesiąc", "Organizacja", "Godziny zrealizowane", "Potwierdzone", "Zakwestionowane", "Niepotwierdzone"],
                rows: report.confirmations.map {
                    [
                        .text($0.month.description), .text($0.name), .fixed($0.deliveredHours), .fixed($0.confirmedHours), .fixed($0.contestedHours),
                        .fixed($0.unconfirmedHours),
                    ]
                }
            ),
            ReportTable(
                key: "korekty", title: "Korekty",
                headers: [
                    "Wykazano w miesiącu", "Dotyczy miesiąca", "Organizacja", "Grupa", "Niepełnosprawność sprzężona", "Rodzaj",
                    "Zmiana godzin", "Zmiana kosztu godzin", "Zmiana kosztów asystenta", "Powód",
                ],
                rows: corrections.map { line in
                    let name = report.hoursByProvider.first { $0.providerID == line.providerID }?.name ?? line.providerID.rawValue
                    return [
                        .text(line.reportedIn.description), .text(line.month.description), .text(name),
                        .text(GroupKey(code: line.group, multiple: line.multipleDisabilities).label), yesNo(line.multipleDisabilities),
                        .text(line.kind.label), .fixed(line.hoursDelta), .money(line.hoursCostDelta), .money(line.coveredExpensesDelta),
                        .text(line.reason),
                    ]
                }
            ),
            ReportTable(
                key: "uwagi", title: "Uwagi",
                headers: ["Uwaga"],
                rows: [
                    [
                        .text(
                            "Edycja: \(report.edition.name) (\(report.edition.id.rawValue)); okres raportu: \(report.range.from) – \(report.range.to)."
                        )
                    ]
                ]
                    + report.notes.map { [.text($0)] }
            ),
        ]
    }
}

extension GroupKey {
    init(code: String, multiple: Bool) {
        self.init(category: ParticipantGroup.Category(rawValue: code), multipleDisabilities: multiple)
    }
}

extension LateChangeRow.Kind {
    var label: String {
        switch self {
        case .accounted: "wpis po zamknięciu"
        case .corrected: "korekta"
        case .voided: "anulowanie"
        }
    }
}
