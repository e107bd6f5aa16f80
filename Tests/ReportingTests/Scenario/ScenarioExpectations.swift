import Domain
import Foundation
import Testing

@testable import Reporting

/// Every figure of the scenario's report for the whole edition (May–December),
/// computed by hand. Costs: A 38,50; B 42,00 capped to 40,00; C 36,00 zł/h.
enum ScenarioExpectations {
    static func m(_ grosze: Int64) -> Money { Money(grosze: grosze) }
    static func f(_ hundredths: Int64) -> Fixed2 { Fixed2(hundredths: hundredths) }

    static func checkWholeEdition(_ report: Report) {
        #expect(report.range == MonthRange(from: YearMonth("2022-05")!, to: YearMonth("2022-12")!))
        #expect(report.months.map(\.closed) == [true, false, false, false, false, false, false, false])

        // Participants: p1…p6 hold grants active in the range (p6 until 31 May); p7's grant was
        // revoked before it started. All six have May minutes (e5's void came after May closed).
        #expect(
            report.participants.map(\.group) == [
                "child", "child", "adult-significant", "adult-significant", "adult-moderate", "adult-moderate", "total",
            ])
        #expect(report.participants.map(\.multipleDisabilities) == [false, true, false, true, false, true, nil])
        #expect(report.participants.map(\.granted) == [1, 1, 1, 1, 1, 1, 6])
        #expect(report.participants.map(\.served) == [1, 1, 1, 1, 1, 1, 6])

        // Hours by month. May (frozen): e1 90 + e2 45 + e3 120 (delivered twice, counted once)
        // + e4 60 + e5 30 + e8 30 = 375 min = 6,25 h, 6 entries, p1–p6, assistants a1 a2 a3.
        // June: e6 60 voided → 0; e7 100 corrected to 120 → 120 min = 2,00 h, 1 entry, p3, a2.
        let may = report.hoursByMonth[0]
        let june = report.hoursByMonth[1]
        let total = report.hoursByMonth.last!
        #expect((may.month, may.closed, may.minutes, may.hours) == ("2022-05", true, 375, f(625)))
        #expect((may.entries, may.participantsServed, may.assistantsActive) == (6, 6, 3))
        #expect((june.month, june.closed, june.minutes, june.hours) == ("2022-06", false, 120, f(200)))
        #expect((june.entries, june.participantsServed, june.assistantsActive) == (1, 1, 1))
        #expect(report.hoursByMonth[2...8].dropLast().allSatisfy { $0.minutes == 0 && $0.entries == 0 })
        #expect(
            (total.month, total.minutes, total.hours, total.entries, total.participantsServed, total.assistantsActive)
                == ("total", 495, f(825), 7, 6, 3))

        // By provider. A: 90 + 45 min; 57,75 (1,5 h × 38,50) + 28,88 (0,75 h × 38,50 = 28,875 ↑).
        // B: 120 + 60 + 120 min at 40,00: 80,00 + 40,00 + 80,00 (66,67 then +13,33 on correction).
        // C: 30 + 30 min at 36,00: 18,00 + 18,00.
        let providers = report.hoursByProvider
        #expect(providers.map(\.providerID) == [Scenario.providerA, Scenario.providerB, Scenario.providerC, nil])
        #expect(providers.map(\.contractedRate) == [m(3850), m(4200), m(3600), nil])
        #expect(providers.map(\.settlementRate) == [m(3850), m(4000), m(3600), nil])
        #expect(providers.map(\.minutes) == [135, 300, 60, 495])
        #expect(providers.map(\.hours) == [f(225), f(500), f(100), f(825)])
        #expect(providers.map(\.hoursCost) == [m(8663), m(20000), m(3600), m(32263)])

        // By group: p1 90 (+60 −60 in June); p2 45; p3 120 + 120; p4 60; p5 30; p6 30.
        #expect(report.hoursByGroup.map(\.minutes) == [90, 45, 240, 60, 30, 30, 495])
        #expect(report.hoursByGroup.map(\.hours) == [f(150), f(75), f(400), f(100), f(50), f(50), f(825)])
        #expect(report.hoursByGroup.map(\.hoursCost) == [m(5775), m(2888), m(16000), m(4000), m(1800), m(1800), m(32263)])

        // Costs per month and provider. May expenses: a1 travel 150 + 80 = 230 → cap 200,00;
        // a2 tickets 30,00; a3 protective 60 → cap 50,00. June A nets to zero and is left out.
        let costs = report.costs
        #expect(costs.map(\.month) == ["2022-05", "2022-05", "2022-05", "2022-06", "total"])
        #expect(costs.map(\.providerID) == [Scenario.providerA, Scenario.providerB, Scenario.providerC, Scenario.providerB, nil])
        #expect(costs.map(\.hoursCost) == [m(8663), m(12000), m(3600), m(8000), m(32263)])
        #expect(costs.map(\.travel) == [m(20000), m(0), m(0), m(0), m(20000)])
        #expect(costs.map(\.tickets) == [m(0), m(3000), m(0), m(0), m(3000)])
        #expect(costs.map(\.protectiveEquipment) == [m(0), m(0), m(5000), m(0), m(5000)])
        #expect(costs.map(\.total) == [m(28663), m(15000), m(8600), m(8000), m(60263)])

        // Corrections after May closed, reported in June (the first month then open):
        // e1 90 → 60 min: −0,50 h, 38,50 − 57,75 = −19,25; travel unchanged → covered 0,00.
        // e5 voided: −30 min, −18,00; a3's protective 60 → 0, covered 50,00 → 0,00 = −50,00.
        let corrections = report.corrections
        #expect(corrections.count == 2)
        #expect(corrections.map(\.reportedIn) == [Scenario.june, Scenario.june])
        #expect(corrections.map(\.month) == [Scenario.may, Scenario.may])
        #expect(corrections.map(\.providerID) == [Scenario.providerA, Scenario.providerC])
        #expect(corrections.map(\.kind) == [.corrected, .voided])
        #expect(corrections.map(\.group) == ["child", "adult-moderate"])
        #expect(corrections.map(\.minutesDelta) == [-30, -30])
        #expect(corrections.map(\.hoursDelta) == [f(-50), f(-50)])
        #expect(corrections.map(\.hoursCostDelta) == [m(-1925), m(-1800)])
        #expect(corrections.map(\.coveredExpensesDelta) == [m(0), m(-5000)])
        #expect(corrections.map(\.reason) == ["błędna godzina zakończenia, PESEL [usunięto]", "usługa nie odbyła się"])

        // Budget: 602,63 − 19,25 − 18,00 − 50,00 = 515,38 spent. Ministry 515,38 × 8000/10000 = 412,304 → 412,30;
        // municipal 103,08. Percentages: 412,30/8000 = 5,15375 % → 5,15; 103,08/2000 = 5,154 → 5,15; 515,38/10000 → 5,15.
        #expect(report.budget.map(\.source) == ["ministry-grant", "municipal-contribution", "total"])
        #expect(report.budget.map(\.plan) == [m(800_000), m(200_000), m(1_000_000)])
        #expect(report.budget.map(\.spent) == [m(41230), m(10308), m(51538)])
        #expect(report.budget.map(\.percent) == [f(515), f(515), f(515)])
        #expect(report.budget.map(\.remaining) == [m(758_770), m(189_692), m(948_462)])

        // Targets: 6 people of 4 = 150,00 %; 495 − 60 = 435 min = 7,25 h of 10 = 72,50 %.
        #expect(report.targets.map(\.indicator) == ["participants", "hours"])
        #expect(report.targets.map(\.target) == [4, 10])
        #expect(report.targets.map(\.achieved) == [f(600), f(725)])
        #expect(report.targets.map(\.percent) == [f(15000), f(7250)])

        // Evaluation: A rated twice (5,4 and 4,5) → 4,50 each; B once: 3,00.
        #expect(report.evaluation.map(\.providerID) == [Scenario.providerA, Scenario.providerA, Scenario.providerB])
        #expect(report.evaluation.map(\.question) == ["kindness", "punctuality", "punctuality"])
        #expect(report.evaluation.map(\.average) == [f(450), f(450), f(300)])
        #expect(report.evaluation.map(\.answers) == [2, 2, 1])
        #expect(report.evaluation.map(\.ratedServices) == [2, 2, 1])

        // Orders: May o1 (assigned) and o3; June o2 (cancelled).
        #expect(report.orders.count == 8)
        #expect((report.orders[0].placed, report.orders[0].assigned, report.orders[0].cancelled) == (2, 1, 0))
        #expect((report.orders[1].placed, report.orders[1].assigned, report.orders[1].cancelled) == (1, 0, 1))
    }
}
