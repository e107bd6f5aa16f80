import Domain
import Foundation

@testable import Reporting

/// One event of a test scenario with the envelope attributes reporting reads:
/// its id (the inbox key) and its time (what decides whether a change is late).
struct ScenarioEvent: Sendable {
    var id: String
    var time: Date
    var event: any DomainEvent
}

/// A small edition whose every figure is computed by hand in `ScenarioTests`.
///
/// Providers: A 38,50 zł/h, B 42,00 zł/h (above the 40,00 cap: settled at 40,00),
/// C 36,00 zł/h. Budget 8 000,00 ministry + 2 000,00 municipal; targets 4 people, 10 h.
/// Expense caps: travel 200,00, tickets 100,00, protective equipment 50,00 a month.
enum Scenario {
    static let edition = EditionID("t-2022")
    static let providerA = ProviderID("prov-a")
    static let providerB = ProviderID("prov-b")
    static let providerC = ProviderID("prov-c")
    static let base = Date(timeIntervalSince1970: 1_654_041_600)  // 2022-06-01T00:00:00Z
    static let may = YearMonth("2022-05")!
    static let june = YearMonth("2022-06")!

    static func at(_ minute: Int) -> Date { base.addingTimeInterval(Double(minute) * 60) }

    static let rules = EditionRules(
        id: edition, name: "Asystent osobisty – edycja testowa",
        period: DateRange(start: CalendarDate("2022-05-01")!, end: CalendarDate("2022-12-31")!),
        childAgeBand: AgeBand(minimumAge: 0, maximumAge: 16), acceptedCertificates: CertificateKind.allCases,
        acceptedDegrees: [.significant, .moderate],
        annualHourCaps: HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 360),
        monthlyHourLimit: nil, hourlyRateCap: Money(zloty: 40), assistantDailyLimitHours: 12,
        budget: Budget(ministryGrant: Money(zloty: 8000), municipalContribution: Money(zloty: 2000)),
        targets: Targets(participants: 4, hours: 10),
        expenseCaps: ExpenseCaps(
            travelPerMonth: Money(zloty: 200), ticketsPerMonth: Money(zloty: 100), protectiveEquipmentPerMonth: Money(zloty: 50),
            insurancePerYear: Money(zloty: 150)),
        providers: [
            ProviderProfile(id: providerA, name: "Fundacja Ąę Słońce", hourlyRate: Money(grosze: 3850)),
            ProviderProfile(id: providerB, name: "Stowarzyszenie Łódź Żagiel", hourlyRate: Money(zloty: 42)),
            ProviderProfile(id: providerC, name: "Fundacja Źródło", hourlyRate: Money(zloty: 36)),
        ])

    static func participant(_ n: Int) -> ParticipantID { ParticipantID("t-participant-\(n)") }

    static func grant(_ n: Int, _ category: ParticipantGroup.Category, multiple: Bool, start: String = "2022-05-01", minute: Int) -> ScenarioEvent {
        ScenarioEvent(
            id: "grant-\(n)", time: at(minute),
            event: SupportGranted(
                grantID: GrantID("t-grant-\(n)"), participantID: participant(n), applicationID: ApplicationID("t-app-\(n)"), editionID: edition,
                group: ParticipantGroup(category: category, multipleDisabilities: multiple), hours: 100,
                period: DateRange(start: CalendarDate(start)!, end: CalendarDate("2022-12-31")!), grantedOn: CalendarDate("2022-04-28")!))
    }

    static func revoke(_ n: Int, on day: String, minute: Int) -> ScenarioEvent {
        ScenarioEvent(
            id: "revoke-\(n)", time: at(minute),
            event: SupportRevoked(
                grantID: GrantID("t-grant-\(n)"), participantID: participant(n), editionID: edition, revokedOn: CalendarDate(day)!))
    }

    static func entryStart(_ month: YearMonth, day: Int) -> Date {
        CalendarDate(year: month.year, month: month.month, day: day)!.startOfDay().addingTimeInterval(9 * 3600)
    }

    static func accounted(
        _ entry: String, _ provider: ProviderID, participant n: Int, assistant: String, _ month: YearMonth, day: Int,
        minutes: Int, expenses: Expenses? = nil, minute: Int
    ) -> ScenarioEvent {
        let start = entryStart(month, day: day)
        return ScenarioEvent(
            id: "accounted-\(entry)", time: at(minute),
            event: HoursAccounted(
                providerID: provider, entryID: entry, sequence: 1, participantID: participant(n), assistantID: AssistantID(assistant),
                orderID: OrderID("t-order-\(entry)"), editionID: edition, start: start, end: start.addingTimeInterval(Double(minutes) * 60),
                month: month, minutes: minutes, expenses: expenses, remainingMinutes: 1000))
    }

    static func corrected(
        _ entry: String, _ provider: ProviderID, participant n: Int, assistant: String, _ month: YearMonth, day: Int,
        from previous: Int, to minutes: Int, expenses: Expenses? = nil, previousExpenses: Expenses? = nil,
        reason: String, minute: Int
    ) -> ScenarioEvent {
        let start = entryStart(month, day: day)
        return ScenarioEvent(
            id: "corrected-\(entry)", time: at(minute),
            event: TimesheetEntryCorrected(
                providerID: provider, entryID: entry, sequence: 2, supersededSequence: 1, participantID: participant(n),
                assistantID: AssistantID(assistant),
                orderID: OrderID("t-order-\(entry)"), editionID: edition, start: start, end: start.addingTimeInterval(Double(minutes) * 60),
                month: month, previousMonth: month, minutes: minutes, previousMinutes: previous, expenses: expenses,
                previousExpenses: previousExpenses,
                reason: reason, remainingMinutes: 1000))
    }

    static func voided(
        _ entry: String, _ provider: ProviderID, participant n: Int, assistant: String, _ month: YearMonth,
        minutes: Int, expenses: Expenses? = nil, reason: String, minute: Int
    ) -> ScenarioEvent {
        ScenarioEvent(
            id: "voided-\(entry)", time: at(minute),
            event: TimesheetEntryVoided(
                providerID: provider, entryID: entry, sequence: 2, participantID: participant(n), assistantID: AssistantID(assistant),
                orderID: OrderID("t-order-\(entry)"), editionID: edition, month: month, minutes: minutes, expenses: expenses, reason: reason,
                remainingMinutes: 1000))
    }

    static func rated(_ n: Int, _ provider: ProviderID, on day: String, _ scores: [(String, Int)], minute: Int) -> ScenarioEvent {
        ScenarioEvent(
            id: "rated-\(n)", time: at(minute),
            event: ServiceRated(
                ratingID: RatingID("t-rating-\(n)"), orderID: OrderID("t-order-r\(n)"), participantID: participant(1), editionID: edition,
                providerID: provider, ratedOn: CalendarDate(day)!, scores: scores.map { ServiceRated.Score(question: $0.0, score: $0.1) }))
    }

    static func placed(_ order: String, _ month: YearMonth, minute: Int) -> ScenarioEvent {
        let start = entryStart(month, day: 10)
        return ScenarioEvent(
            id: "placed-\(order)", time: at(minute),
            event: OrderPlaced(
                orderID: OrderID(order), participantID: participant(1), grantID: GrantID("t-grant-1"), editionID: edition,
                start: start, end: start.addingTimeInterval(3600), activity: .errands, requiredSkills: []))
    }

    static func confirmed(_ n: Int, _ provider: ProviderID, _ month: YearMonth, visits: Int, minutes: Int, minute: Int) -> ScenarioEvent {
        ScenarioEvent(
            id: "confirmed-\(n)-\(provider)-\(month)", time: at(minute),
            event: MonthConfirmed(
                providerID: provider, participantID: participant(n), editionID: edition, month: month, visits: visits, minutes: minutes))
    }

    static func contested(
        _ entry: String, _ provider: ProviderID, participant n: Int, assistant: String, _ month: YearMonth, minutes: Int, minute: Int
    ) -> ScenarioEvent {
        ScenarioEvent(
            id: "contested-\(entry)", time: at(minute),
            event: VisitContested(
                providerID: provider, entryID: entry, sequence: 1, participantID: participant(n), assistantID: AssistantID(assistant),
                editionID: edition,
                month: month, minutes: minutes, reason: .shorter, comment: "Jan Kowalski, PESEL 44051401359, był krócej"))
    }

    /// Everything up to (and including) closing May.
    static let beforeClose: [ScenarioEvent] = [
        ScenarioEvent(id: "edition", time: at(1), event: EditionPublished(rules: rules)),
        grant(1, .child, multiple: false, minute: 2),
        grant(2, .child, multiple: true, minute: 3),
        grant(3, .adultSignificant, multiple: false, minute: 4),
        grant(4, .adultSignificant, multiple: true, minute: 5),
        grant(5, .adultModerate, multiple: false, minute: 6),
        grant(6, .adultModerate, multiple: true, minute: 7),
        // p7's grant would start in June but is revoked in May: never active.
        grant(7, .adultModerate, multiple: false, start: "2022-06-01", minute: 8),
        revoke(7, on: "2022-05-25", minute: 9),
        accounted(
            "e1", providerA, participant: 1, assistant: "t-a1", may, day: 2, minutes: 90, expenses: Expenses(travel: Money(zloty: 150)), minute: 10),
        accounted(
            "e2", providerA, participant: 2, assistant: "t-a1", may, day: 3, minutes: 45, expenses: Expenses(travel: Money(zloty: 80)), minute: 11),
        accounted(
            "e3", providerB, participant: 3, assistant: "t-a2", may, day: 4, minutes: 120, expenses: Expenses(tickets: Money(zloty: 30)), minute: 12),
        accounted("e4", providerB, participant: 4, assistant: "t-a2", may, day: 5, minutes: 60, minute: 13),
        accounted(
            "e5", providerC, participant: 5, assistant: "t-a3", may, day: 6, minutes: 30, expenses: Expenses(protectiveEquipment: Money(zloty: 60)),
            minute: 14),
        accounted("e8", providerC, participant: 6, assistant: "t-a3", may, day: 7, minutes: 30, minute: 15),
        placed("t-o1", may, minute: 16),
        ScenarioEvent(
            id: "assigned-o1", time: at(17),
            event: OrderAssigned(
                orderID: OrderID("t-o1"), participantID: participant(1), editionID: edition, providerID: providerA, assistantID: AssistantID("t-a1"),
                start: entryStart(may, day: 10), end: entryStart(may, day: 10).addingTimeInterval(3600))),
        placed("t-o2", june, minute: 18),
        placed("t-o3", may, minute: 19),
        ScenarioEvent(
            id: "cancelled-o2", time: at(20),
            event: OrderCancelled(
                orderID: OrderID("t-o2"), participantID: participant(1), editionID: edition, cancelledAt: at(20), cancelledBy: .participant)),
        rated(1, providerA, on: "2022-05-20", [("punctuality", 5), ("kindness", 4)], minute: 20),
        rated(2, providerA, on: "2022-06-02", [("punctuality", 4), ("kindness", 5)], minute: 21),
        rated(3, providerB, on: "2022-05-10", [("punctuality", 3)], minute: 21),
        accounted("e6", providerA, participant: 1, assistant: "t-a1", june, day: 2, minutes: 60, minute: 21),
        accounted("e7", providerB, participant: 3, assistant: "t-a2", june, day: 3, minutes: 100, minute: 22),
        // June is open: these change June's own figures.
        corrected("e7", providerB, participant: 3, assistant: "t-a2", june, day: 3, from: 100, to: 120, reason: "pomyłka w godzinie", minute: 23),
        voided("e6", providerA, participant: 1, assistant: "t-a1", june, minutes: 60, reason: "duplikat", minute: 24),
        // Participants' cards: p1 confirms May (prov-a, 90 min), p3 contests May's e3 (prov-b, 120) and June's e7, p4 confirms May (prov-b).
        confirmed(1, providerA, may, visits: 1, minutes: 90, minute: 25),
        contested("e3", providerB, participant: 3, assistant: "t-a2", may, minutes: 120, minute: 26),
        confirmed(4, providerB, may, visits: 1, minutes: 60, minute: 27),
        contested("e7", providerB, participant: 3, assistant: "t-a2", june, minutes: 120, minute: 28),
        ScenarioEvent(id: "closed-may", time: at(30), event: MonthClosed(editionID: edition, month: may, closedAt: at(30))),
    ]

    /// After May closed: these reach May late and go to the corrections ledger.
    static let afterClose: [ScenarioEvent] = [
        revoke(6, on: "2022-05-31", minute: 31),
        corrected(
            "e1", providerA, participant: 1, assistant: "t-a1", may, day: 2, from: 90, to: 60,
            expenses: Expenses(travel: Money(zloty: 150)), previousExpenses: Expenses(travel: Money(zloty: 150)),
            reason: "błędna godzina zakończenia, PESEL 44051401359", minute: 32),
        voided(
            "e5", providerC, participant: 5, assistant: "t-a3", may, minutes: 30, expenses: Expenses(protectiveEquipment: Money(zloty: 60)),
            reason: "usługa nie odbyła się", minute: 33),
        // Said after May closed: May's figures do not change.
        ScenarioEvent(
            id: "stands-e3", time: at(34),
            event: ContestSettled(
                providerID: providerB, entryID: "e3", sequence: 1, participantID: participant(3), editionID: edition, month: may, minutes: 120,
                outcome: .stands)),
        confirmed(2, providerA, may, visits: 1, minutes: 45, minute: 35),
    ]

    /// The event delivered twice.
    static var redelivered: ScenarioEvent { beforeClose.first { $0.id == "accounted-e3" }! }

    static var all: [ScenarioEvent] { beforeClose + [redelivered] + afterClose }
}
