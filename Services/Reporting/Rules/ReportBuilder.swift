import Domain
import FoundationEssentials

/// Builds the report from a read-model snapshot. Pure: the same snapshot always
/// gives the same report, row for row, which is what makes exports reproducible.
enum ReportBuilder {
    static func build(_ snapshot: ReadModelSnapshot) -> Report {
        let edition = snapshot.edition
        let range = snapshot.range
        let providerNames = Dictionary(edition.providers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let name: (ProviderID) -> String = { providerNames[$0] ?? $0.rawValue }
        let months = range.months.map { month in
            Report.MonthStatus(month: month, closed: snapshot.closedMonths[month] != nil, closedAt: snapshot.closedMonths[month])
        }
        let deliveries = snapshot.deliveries.filter { range.contains($0.month) }
        let groups = groups(of: snapshot, deliveries: deliveries)
        let participants = participantLines(snapshot, groups: groups)
        let costs = costLines(snapshot, deliveries: deliveries, name: name)
        let corrections = correctionLines(snapshot).filter { range.contains($0.reportedIn) }
        let spent = costs.last!.total + corrections.reduce(.zero) { $0 + $1.hoursCostDelta + $1.coveredExpensesDelta }
        let deliveredMinutes = deliveries.reduce(0) { $0 + $1.minutes } + corrections.reduce(0) { $0 + $1.minutesDelta }

        return Report(
            edition: Report.Edition(id: edition.id, name: edition.name, period: edition.period, hourlyRateCap: edition.rateCap),
            range: range, months: months, participants: participants,
            hoursByMonth: monthLines(snapshot, months: months, deliveries: deliveries),
            hoursByProvider: providerLines(edition, deliveries: deliveries, name: name),
            hoursByGroup: groupLines(groups, deliveries: deliveries), hoursDetail: detailLines(deliveries), costs: costs,
            budget: budgetLines(edition, spent: spent),
            targets: targetLines(edition, served: participants.last!.served, deliveredMinutes: deliveredMinutes),
            evaluation: evaluationLines(snapshot, name: name), orders: orderLines(snapshot), corrections: corrections,
            confirmations: confirmationLines(snapshot, deliveries: deliveries, name: name), notes: notes(edition)
        )
    }

    // MARK: - Participants

    /// The programme's groups in their fixed order, then any other group the data holds.
    private static func groups(of snapshot: ReadModelSnapshot, deliveries: [DeliveryRow]) -> [GroupKey] {
        var groups = GroupKey.all
        groups += Set(snapshot.participants.map(\.group)).union(deliveries.map(\.group)).subtracting(groups).sorted()
        return groups
    }

    private static func participantLines(_ snapshot: ReadModelSnapshot, groups: [GroupKey]) -> [Report.ParticipantsLine] {
        let rows = Dictionary(
            snapshot.participants.map { ($0.group, $0) },
            uniquingKeysWith: { a, b in
                ParticipantCountRow(group: a.group, granted: a.granted + b.granted, served: a.served + b.served)
            })
        var lines = groups.map { group in
            Report.ParticipantsLine(
                group: group.code, multipleDisabilities: group.multipleDisabilities, label: group.label,
                granted: rows[group]?.granted ?? 0, served: rows[group]?.served ?? 0)
        }
        lines.append(
            Report.ParticipantsLine(
                group: "total", multipleDisabilities: nil, label: "Razem",
                granted: lines.reduce(0) { $0 + $1.granted }, served: lines.reduce(0) { $0 + $1.served }))
        return lines
    }

    // MARK: - Hours

    private static func monthLines(_ snapshot: ReadModelSnapshot, months: [Report.MonthStatus], deliveries: [DeliveryRow]) -> [Report.MonthLine] {
        let activity = Dictionary(snapshot.monthActivity.map { ($0.month, $0.counts) }, uniquingKeysWith: { a, _ in a })
        var lines = months.map { status in
            let rows = deliveries.filter { $0.month == status.month }
            let minutes = rows.reduce(0) { $0 + $1.minutes }
            return Report.MonthLine(
                month: status.month.description, closed: status.closed, minutes: minutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: minutes)), entries: rows.reduce(0) { $0 + $1.entries },
                participantsServed: activity[status.month]?.participantsServed ?? 0,
                assistantsActive: activity[status.month]?.assistantsActive ?? 0)
        }
        let totalMinutes = deliveries.reduce(0) { $0 + $1.minutes }
        lines.append(
            Report.MonthLine(
                month: "total", closed: nil, minutes: totalMinutes, hours: Fixed2(hundredths: Costing.centihours(minutes: totalMinutes)),
                entries: deliveries.reduce(0) { $0 + $1.entries },
                participantsServed: snapshot.rangeActivity.participantsServed,
                assistantsActive: snapshot.rangeActivity.assistantsActive))
        return lines
    }

    private static func providerLines(_ edition: EditionFacts, deliveries: [DeliveryRow], name: (ProviderID) -> String) -> [Report.ProviderLine] {
        var providerIDs = edition.providers.map(\.id)
        providerIDs += Set(deliveries.map(\.provider)).subtracting(providerIDs)
        providerIDs.sort { $0.rawValue < $1.rawValue }
        let contracted = Dictionary(edition.providers.map { ($0.id, $0.contractedRate) }, uniquingKeysWith: { a, _ in a })
        var lines = providerIDs.map { provider in
            let rows = deliveries.filter { $0.provider == provider }
            let minutes = rows.reduce(0) { $0 + $1.minutes }
            return Report.ProviderLine(
                providerID: provider, name: name(provider), contractedRate: contracted[provider],
                settlementRate: contracted[provider].map { Costing.settlementRate(contracted: $0, cap: edition.rateCap) },
                minutes: minutes, hours: Fixed2(hundredths: Costing.centihours(minutes: minutes)),
                hoursCost: rows.reduce(.zero) { $0 + $1.cost })
        }
        let totalMinutes = deliveries.reduce(0) { $0 + $1.minutes }
        lines.append(
            Report.ProviderLine(
                providerID: nil, name: "Razem", contractedRate: nil, settlementRate: nil, minutes: totalMinutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: totalMinutes)),
                hoursCost: deliveries.reduce(Money.zero) { $0 + $1.cost }))
        return lines
    }

    private static func groupLines(_ groups: [GroupKey], deliveries: [DeliveryRow]) -> [Report.GroupLine] {
        var lines = groups.map { group in
            let rows = deliveries.filter { $0.group == group }
            let minutes = rows.reduce(0) { $0 + $1.minutes }
            return Report.GroupLine(
                group: group.code, multipleDisabilities: group.multipleDisabilities, label: group.label, minutes: minutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: minutes)), hoursCost: rows.reduce(.zero) { $0 + $1.cost })
        }
        let totalMinutes = deliveries.reduce(0) { $0 + $1.minutes }
        lines.append(
            Report.GroupLine(
                group: "total", multipleDisabilities: nil, label: "Razem", minutes: totalMinutes,
                hours: Fixed2(hundredths: Costing.centihours(minutes: totalMinutes)),
                hoursCost: deliveries.reduce(Money.zero) { $0 + $1.cost }))
        return lines
    }

    private static func detailLines(_ deliveries: [DeliveryRow]) -> [Report.DetailLine] {
        deliveries
            .filter { $0.minutes != 0 || $0.entries != 0 || $0.cost != .zero }
            .sorted { ($0.month, $0.provider.rawValue, $0.group) < ($1.month, $1.provider.rawValue, $1.group) }
            .map { row in
                Report.DetailLine(
                    month: row.month, providerID: row.provider, group: row.group.code, multipleDisabilities: row.group.multipleDisabilities,
                    minutes: row.minutes, hours: Fixed2(hundredths: Costing.centihours(minutes: row.minutes)), hoursCost: row.cost,
                    entries: row.entries)
            }
    }

    // MARK: - Costs and budget

    /// Hours and covered expenses per month and provider, then their total.
    private static func costLines(_ snapshot: ReadModelSnapshot, deliveries: [DeliveryRow], name: (ProviderID) -> String) -> [Report.CostLine] {
        struct MonthProvider: Hashable {
            var month: YearMonth
            var provider: ProviderID
        }
        var hoursCost: [MonthProvider: Money] = [:]
        for row in deliveries { hoursCost[MonthProvider(month: row.month, provider: row.provider), default: .zero] += row.cost }
        var covered: [MonthProvider: Expenses] = [:]
        for row in snapshot.assistantExpenses where snapshot.range.contains(row.month) {
            let capped = Costing.covered(row.reported, caps: snapshot.edition.expenseCaps)
            covered[MonthProvider(month: row.month, provider: row.provider), default: Expenses()].add(capped)
        }
        let keys = Set(hoursCost.keys).union(covered.keys)
            .filter { hoursCost[$0, default: .zero] != .zero || covered[$0, default: Expenses()].total != .zero }
            .sorted { ($0.month, $0.provider.rawValue) < ($1.month, $1.provider.rawValue) }
        var lines = keys.map { key in
            let expenses = covered[key] ?? Expenses()
            let cost = hoursCost[key] ?? .zero
            return Report.CostLine(
                month: key.month.description, providerID: key.provider, name: name(key.provider), hoursCost: cost,
                travel: expenses.travel, tickets: expenses.tickets, protectiveEquipment: expenses.protectiveEquipment,
                total: cost + expenses.total)
        }
        lines.append(
            Report.CostLine(
                month: "total", providerID: nil, name: "Razem",
                hoursCost: lines.reduce(.zero) { $0 + $1.hoursCost }, travel: lines.reduce(.zero) { $0 + $1.travel },
                tickets: lines.reduce(.zero) { $0 + $1.tickets }, protectiveEquipment: lines.reduce(.zero) { $0 + $1.protectiveEquipment },
                total: lines.reduce(.zero) { $0 + $1.total }))
        return lines
    }

    private static func budgetLines(_ edition: EditionFacts, spent: Money) -> [Report.BudgetLine] {
        let (ministry, municipal) = Costing.split(spent, by: edition.budget)
        func line(_ source: String, _ label: String, plan: Money, spent: Money) -> Report.BudgetLine {
            Report.BudgetLine(
                source: source, label: label, plan: plan, spent: spent,
                percent: Costing.percent(spent.grosze, of: plan.grosze).map(Fixed2.init(hundredths:)), remaining: plan - spent)
        }
        return [
            line("ministry-grant", "Dotacja MRiPS (Fundusz Solidarnościowy)", plan: edition.budget.ministryGrant, spent: ministry),
            line("municipal-contribution", "Wkład własny Gminy", plan: edition.budget.municipalContribution, spent: municipal),
            line("total", "Razem", plan: edition.budget.total, spent: spent),
        ]
    }

    // MARK: - Targets, evaluation, orders and notes

    private static func targetLines(_ edition: EditionFacts, served: Int64, deliveredMinutes: Int64) -> [Report.TargetLine] {
        let deliveredHours = Costing.centihours(minutes: deliveredMinutes)
        return [
            Report.TargetLine(
                indicator: "participants", label: "Liczba osób objętych usługami asystencji", target: Int64(edition.targets.participants),
                achieved: Fixed2(hundredths: served * 100),
                percent: Costing.percent(served, of: Int64(edition.targets.participants)).map(Fixed2.init(hundredths:))),
            Report.TargetLine(
                indicator: "hours", label: "Liczba zrealizowanych godzin usług", target: Int64(edition.targets.hours),
                achieved: Fixed2(hundredths: deliveredHours),
                percent: Costing.percent(deliveredHours, of: Int64(edition.targets.hours) * 100).map(Fixed2.init(hundredths:))),
        ]
    }

    private static func evaluationLines(_ snapshot: ReadModelSnapshot, name: (ProviderID) -> String) -> [Report.EvaluationLine] {
        let rated = Dictionary(snapshot.ratedServices.map { ($0.provider, $0.ratings) }, uniquingKeysWith: +)
        return snapshot.ratings
            .filter { $0.count > 0 }
            .sorted { ($0.provider.rawValue, $0.question) < ($1.provider.rawValue, $1.question) }
            .map { row in
                Report.EvaluationLine(
                    providerID: row.provider, name: name(row.provider), ratedServices: rated[row.provider] ?? 0, question: row.question,
                    average: Fixed2(hundredths: Costing.average(sum: row.sum, count: row.count) ?? 0), answers: row.count)
            }
    }

    private static func orderLines(_ snapshot: ReadModelSnapshot) -> [Report.OrderLine] {
        let rows = Dictionary(snapshot.orders.map { ($0.month, $0) }, uniquingKeysWith: { a, _ in a })
        return snapshot.range.months.map { month in
            Report.OrderLine(
                month: month, placed: rows[month]?.placed ?? 0, assigned: rows[month]?.assigned ?? 0, cancelled: rows[month]?.cancelled ?? 0)
        }
    }

    /// Per month and NGO with hours or a card's word: delivered, confirmed, contested and the rest.
    private static func confirmationLines(
        _ snapshot: ReadModelSnapshot, deliveries: [DeliveryRow], name: (ProviderID) -> String
    ) -> [Report.ConfirmationLine] {
        struct Key: Hashable {
            var month: YearMonth
            var provider: ProviderID
        }
        var delivered: [Key: Int64] = [:]
        for row in deliveries { delivered[Key(month: row.month, provider: row.provider), default: 0] += row.minutes }
        let said = Dictionary(
            snapshot.confirmations.filter { snapshot.range.contains($0.month) }.map { (Key(month: $0.month, provider: $0.provider), $0) },
            uniquingKeysWith: { a, _ in a })
        let hours = { (minutes: Int64) in Fixed2(hundredths: Costing.centihours(minutes: minutes)) }
        let lines = Set(delivered.keys.filter { delivered[$0] != 0 }).union(said.keys)
        return lines.sorted { ($0.month, name($0.provider)) < ($1.month, name($1.provider)) }.map { key in
            let minutes = delivered[key] ?? 0
            let confirmed = said[key]?.confirmedMinutes ?? 0
            let contested = said[key]?.contestedMinutes ?? 0
            return Report.ConfirmationLine(
                month: key.month, providerID: key.provider, name: name(key.provider), deliveredHours: hours(minutes),
                confirmedHours: hours(confirmed), contestedHours: hours(contested), unconfirmedHours: hours(max(0, minutes - confirmed - contested)))
        }
    }

    private static func notes(_ edition: EditionFacts) -> [String] {
        let caps = edition.expenseCaps
        return Costing.formulaNotes + [
            "Maksymalna stawka godzinowa edycji: \(PolishNumber.money(edition.rateCap)).",
            "Potwierdzenia: godziny, które uczestnicy (lub ich opiekunowie) potwierdzili na karcie realizacji usług, i godziny wizyt zakwestionowanych, dopóki organizacja ich nie skorygowała lub nie anulowała, a MOPS nie uznał wizyty; niepotwierdzone = zrealizowane − potwierdzone − zakwestionowane (nie mniej niż 0). Wizyta skorygowana po potwierdzeniu miesiąca liczy się jako potwierdzona w długości sprzed korekty.",
            "Miesięczne limity kosztów asystenta: dojazdy \(PolishNumber.money(caps.travelPerMonth)), bilety \(PolishNumber.money(caps.ticketsPerMonth)), środki ochrony \(PolishNumber.money(caps.protectiveEquipmentPerMonth)).",
        ] + (edition.hourCaps.map { [Costing.grantNote(caps: $0, monthlyLimit: edition.monthlyHourLimit)] } ?? [])
    }

    /// The month a late change is reported in: the first month after the one it
    /// touches that was not yet closed when the change happened.
    static func reportingMonth(of month: YearMonth, at time: Date, closed: [YearMonth: Date]) -> YearMonth {
        var candidate = month.next
        while let closedAt = closed[candidate], closedAt < time { candidate = candidate.next }
        return candidate
    }

    /// Every late change with the month it is reported in and its effect on covered
    /// expenses: per assistant and month, the caps apply to the frozen sum plus the
    /// late changes in the order they happened.
    static func correctionLines(_ snapshot: ReadModelSnapshot) -> [Report.CorrectionLine] {
        struct AssistantMonth: Hashable {
            var assistant: AssistantID
            var month: YearMonth
        }
        var running: [AssistantMonth: Expenses] = [:]
        for row in snapshot.lateBaseExpenses {
            running[AssistantMonth(assistant: row.assistant, month: row.month), default: Expenses()].add(row.reported)
        }
        let caps = snapshot.edition.expenseCaps
        let ordered = snapshot.lateChanges.sorted { ($0.eventTime, $0.orderKey) < ($1.eventTime, $1.orderKey) }
        var lines: [(line: Report.CorrectionLine, time: Date, key: String)] = []
        for change in ordered {
            let key = AssistantMonth(assistant: change.assistant, month: change.month)
            let before = running[key] ?? Expenses()
            var after = before
            after.add(change.expensesDelta)
            running[key] = after
            let coveredDelta = Costing.covered(after, caps: caps).total - Costing.covered(before, caps: caps).total
            let line = Report.CorrectionLine(
                reportedIn: reportingMonth(of: change.month, at: change.eventTime, closed: snapshot.closedMonths),
                month: change.month, providerID: change.provider, group: change.group.code, multipleDisabilities: change.group.multipleDisabilities,
                kind: change.kind, minutesDelta: change.minutesDelta,
                hoursDelta: Fixed2(hundredths: Costing.centihours(minutes: change.minutesDelta)),
                hoursCostDelta: change.costDelta, coveredExpensesDelta: coveredDelta, reason: Redaction.reason(change.reason))
            lines.append((line, change.eventTime, change.orderKey))
        }
        return lines.sorted {
            ($0.line.reportedIn, $0.line.month, $0.line.providerID.rawValue, $0.time, $0.key) < (
                $1.line.reportedIn, $1.line.month, $1.line.providerID.rawValue, $1.time, $1.key
            )
        }.map(\.line)
    }
}

extension Expenses {
    mutating func add(_ other: Expenses) {
        travel += other.travel
        tickets += other.tickets
        protectiveEquipment += other.protectiveEquipment
    }

    var total: Money { travel + tickets + protectiveEquipment }

    var negated: Expenses { Expenses(travel: .zero - travel, tickets: .zero - tickets, protectiveEquipment: .zero - protectiveEquipment) }
}

/// Keeps exports free of personal data that may hide in an NGO's free-text reason.
enum Redaction {
    /// Long digit runs (a PESEL, a phone or an account number) become "[usunięto]";
    /// the text is cut to 300 characters and line breaks become spaces.
    static func reason(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "(brak powodu)" }
        var result = ""
        var digits = ""
        func flush() {
            result += digits.count >= 6 ? "[usunięto]" : digits
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character.isNewline ? " " : character)
            }
        }
        flush()
        return String(result.prefix(300))
    }
}
