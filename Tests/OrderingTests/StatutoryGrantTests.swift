import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Ordering

/// One participant under the 2026 programme edition and, from 1 April 2027, the
/// statutory scheme: each order counts under the grant of its days, by that grant's rules.
@Suite("A statutory grant beside a programme grant")
struct StatutoryGrantTests {
    static func edition(_ file: String) throws -> EditionRules {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/editions/\(file).json")
        return try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: url))
    }

    @Test("the programme counts a year's hours, the statute each month's with carry-over; monthly-budget-exceeded")
    func bothSchemes() async throws {
        let fixture = try await OrderingFixture.make("statute-both", today: CalendarDate("2026-11-02")!)
        let participant = OrderingFixture.participant
        let group = ParticipantGroup(category: .adultModerate, multipleDisabilities: false)
        try await fixture.apply(EditionPublished(rules: try Self.edition("2026")))
        try await fixture.apply(EditionPublishedV2(rules: try Self.edition("ustawa-2027")))
        try await fixture.apply(
            SupportGranted(
                grantID: GrantID("g-2026"), participantID: participant, applicationID: ApplicationID("app-2026"), editionID: EditionID("2026"),
                group: group, hours: 10, period: DateRange(start: day("2026-09-01"), end: day("2026-12-31")), grantedOn: day("2026-09-01")))
        try await fixture.apply(
            SupportGrantedV2(
                grantID: GrantID("g-statute"), participantID: participant, applicationID: ApplicationID("app-statute"),
                editionID: EditionID("ustawa-2027"), group: group, hours: 120 * 60, hoursPerMonth: 120, carryOver: true,
                period: DateRange(start: day("2027-04-01"), end: day("2032-03-31")), grantedOn: day("2026-12-04")))

        try await fixture.test { client in
            // 2026: the programme's 10 hours for the rest of the year, whatever the month.
            let december = try await client.placed(["date": "2026-12-07", "start": "08:00", "end": "16:00"])
            #expect(december.editionID == EditionID("2026"))
            let over = try await client.placeOrder(["date": "2026-11-09", "start": "08:00", "end": "10:01"])
            #expect(JSON.errorCode(over) == "allowance-exceeded")
            let programme = try await client.allowance(editionID: "2026")
            #expect(programme.monthly == nil)
            #expect(programme.remainingMinutes == 120)

            // Between the two: no grant covers March 2027.
            #expect(JSON.errorCode(try await client.placeOrder(["date": "2027-03-15"])) == "outside-grant-period")

            // April 2027: 100 of the 120 hours, in ten visits of ten hours.
            for day in 5...14 {
                _ = try await client.placed(["date": "2027-04-\(String(format: "%02d", day))", "start": "08:00", "end": "18:00"])
            }
            var statute = try await client.allowance(editionID: "ustawa-2027")
            let april = try #require(statute.monthly?.months.first)
            #expect(april.month == YearMonth("2027-04")! && april.reservedMinutes == 100 * 60 && april.remainingMinutes == 20 * 60)
            // …so May has 140: fourteen visits of ten hours fit, one more hour does not.
            for day in 3...16 {
                let placed = try await client.placeOrder(["date": "2027-05-\(String(format: "%02d", day))", "start": "08:00", "end": "18:00"])
                #expect(placed.status == .created, "May \(day): \(String(buffer: placed.body))")
            }
            let refused = try await client.placeOrder(["date": "2027-05-17", "start": "08:00", "end": "09:00"])
            #expect(refused.status == .unprocessableContent)
            #expect(JSON.errorCode(refused) == "monthly-budget-exceeded")
            // April's unused 20 hours are May's now: April may not take them back.
            #expect(
                JSON.errorCode(try await client.placeOrder(["date": "2027-04-20", "start": "08:00", "end": "09:00"])) == "monthly-budget-exceeded")
            // June starts afresh with its own 120.
            _ = try await client.placed(["date": "2027-06-07", "start": "08:00", "end": "18:00"])

            statute = try await client.allowance(editionID: "ustawa-2027")
            let months = try #require(statute.monthly).months
            #expect(months.count == 60)
            #expect(months.prefix(3).map { $0.availableMinutes / 60 } == [120, 140, 120])
            #expect(months.prefix(3).map { $0.remainingMinutes / 60 } == [20, 0, 110])
            #expect(months[3].carriedInMinutes == 110 * 60, "July inherits June's unused 110 h")
            #expect(statute.monthly?.lapsesAfter == day("2032-03-31"))
            // Untouched, the rest piles up until the grant ends and lapses with it: 110 + 57 × 120 h.
            #expect(statute.monthly?.lapsingMinutes == (110 + 57 * 120) * 60)

            // An accounted visit counts what timesheet accounted: 8 of April's 10 booked hours.
            let first = try #require(
                try JSON.decode([OrderRecord].self, try await client.send(.get, "/participants/\(participant)/orders").body)
                    .first { $0.editionID == EditionID("ustawa-2027") })
            try await fixture.apply(OrderingFixture.accounted(first, minutes: 8 * 60))
            let after = try #require(try await client.allowance(editionID: "ustawa-2027").monthly?.months.first)
            #expect(after.deliveredMinutes == 8 * 60 && after.reservedMinutes == 90 * 60 && after.remainingMinutes == 22 * 60)
        }
    }

    @Test("the register of assistants: the NGO records qualifications; a statutory assignment waits for them and for an unrelated assistant")
    func register() async throws {
        let fixture = try await OrderingFixture.make("statute-register", today: CalendarDate("2027-04-20")!)
        let participant = OrderingFixture.participant
        try await fixture.apply(EditionPublishedV2(rules: try Self.edition("ustawa-2027")))
        try await fixture.apply(
            SupportGrantedV2(
                grantID: GrantID("g-statute"), participantID: participant, applicationID: ApplicationID("app-statute"),
                editionID: EditionID("ustawa-2027"), group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false),
                hours: 60 * 120, hoursPerMonth: 120, carryOver: true, period: DateRange(start: day("2027-04-01"), end: day("2032-03-31")),
                grantedOn: day("2027-03-20")))
        try await fixture.test { client in
            let order = try await client.placed(["date": "2027-05-04", "start": "09:00", "end": "12:00", "requiredSkills": []])
            let relatedResponse = try await client.send(
                .post, "/providers/wsg-nadzieja/assistants",
                ["skills": [], "availability": (1...7).map { ["weekday": $0, "from": "00:00", "to": "24:00"] }, "relatives": [participant.rawValue]])
            let related = try JSON.decode(AssistantRecord.self, relatedResponse.body)
            #expect(related.relatives == [participant] && related.excludedParticipants == [participant])
            #expect(JSON.errorCode(try await client.assign(order, related)) == "assistant-related")

            let newcomer = try await client.assistant(skills: [])
            #expect(JSON.errorCode(try await client.assign(order, newcomer)) == "assistant-not-qualified")
            func record(_ kind: String, _ body: [String: Any], provider: String = "wsg-nadzieja") async throws -> TestResponse {
                try await client.send(.put, "/providers/\(provider)/assistants/\(newcomer.assistantID)/qualifications/\(kind)", body)
            }
            #expect(JSON.errorFields(try await record("swimming", ["obtainedOn": "2027-01-10"])) == ["kind"])
            #expect(JSON.errorFields(try await record("first-aid", ["obtainedOn": "2027-04-21"])) == ["obtainedOn"])
            #expect(JSON.errorFields(try await record("first-aid", ["obtainedOn": "2027-01-10", "validUntil": "2027-01-09"])) == ["validUntil"])
            #expect(try await record("first-aid", ["obtainedOn": "2027-01-10"], provider: "fundacja-imago").status == .notFound)

            for kind in ["assistant-course", "evacuation", "no-criminal-record-statement"] {
                #expect(try await record(kind, ["obtainedOn": "2027-01-10"]).status == .ok)
            }
            #expect(try await record("first-aid", ["obtainedOn": "2025-05-01", "validUntil": "2027-05-03"]).status == .ok)
            #expect(JSON.errorCode(try await client.assign(order, newcomer)) == "qualification-expired")
            let none = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(order.orderID)/suggestions").body)
            #expect(none.isEmpty, "neither may take it")

            let renewed = try JSON.decode(
                AssistantRecord.self, try await record("first-aid", ["obtainedOn": "2027-04-15", "validUntil": "2029-04-14"]).body)
            #expect(renewed.qualifications.map(\.kind) == [.assistantCourse, .evacuation, .firstAid, .noCriminalRecordStatement])
            #expect(renewed.qualifications.first { $0.kind == .firstAid }?.validUntil == day("2029-04-14"))
            let suggested = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(order.orderID)/suggestions").body)
            #expect(suggested.map(\.assistantID) == [newcomer.assistantID])
            #expect(try await client.assign(order, newcomer).status == .ok)

            let announced = try await fixture.published(AssistantQualificationRecorded.self)
            #expect(announced.count == 5)
            #expect(
                announced.last
                    == AssistantQualificationRecorded(
                        assistantID: newcomer.assistantID, providerID: ProviderID("wsg-nadzieja"), kind: .firstAid, obtainedOn: day("2027-04-15"),
                        validUntil: day("2029-04-14")))
        }
    }
}
