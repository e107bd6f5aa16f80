import Domain
import Foundation
import TestSupport
import Testing

/// The 2026 programme edition and the statutory scheme from 1 April 2027 side by side,
/// every service a process: one person (one PESEL) applies to both in December 2026 and
/// each application is decided, granted and counted under its own rules; a second
/// person, 79 points, is refused by the statute with its own code.
@Suite("The programme and the statute side by side", .timeLimit(.minutes(5)))
struct TwoSchemesTests {
    @Test("one person under the 2026 edition's annual hours and the statute's monthly budget, through every service")
    func bothSchemes() async throws {
        try await FiveServices.run(label: "schemes", today: CalendarDate("2026-12-01")!) { services in
            let assessment: [String: Any] = ["score": 86, "assessedOn": "2026-11-20", "issuedBy": "MZON Wrocław"]
            // December 2026 under the programme: 360 h a year × 1/12 = 30 h, below the declared 40 a month.
            let programme = try await services.grantedApplicant(serial: 1, degree: "moderate", multiple: false, edition: "2026")
            #expect(programme.hours == 30)
            // The same person under the statute: 40 h a month from 1 April 2027 for five years, 60 × 40 h in all.
            let statute = try await services.grantedApplicant(
                serial: 1, degree: "moderate", multiple: false, edition: "ustawa-2027", supportNeeds: assessment)
            #expect(statute.hours == 60 * 40)
            #expect(statute.participantID != programme.participantID, "intake gives a person a new id in each scheme")
            var weaker = assessment
            weaker["score"] = 79
            let refused = try await services.decision(serial: 2, degree: "significant", multiple: false, edition: "ustawa-2027", supportNeeds: weaker)
            #expect(refused["outcome"] as? String == "rejected")
            #expect(refused["reasons"] as? [String] == ["support-score-too-low"])

            // Ordering learns both grants, each in its own shape.
            func allowance(_ participant: String) async throws -> [String: Any] {
                try await eventually { () -> [String: Any]? in
                    let answer = try await services.ordering.json("GET", "/participants/\(participant)/allowance", as: .coordinator)
                    return answer.status == 200 ? answer.body : nil
                }
            }
            #expect(try await allowance(programme.participantID)["monthly"] == nil)
            let monthly = try #require(try await allowance(statute.participantID)["monthly"] as? [String: Any])
            #expect(monthly["hoursPerMonth"] as? Int == 40 && monthly["carryOver"] as? Bool == true)
            #expect((monthly["months"] as? [[String: Any]])?.first?["month"] as? String == "2027-04")
            #expect(monthly["lapsesAfter"] as? String == "2032-03-31")

            func order(_ participant: String, _ day: String, _ from: String, _ to: String) async throws -> (status: Int, body: [String: Any]) {
                try await services.ordering.json(
                    "POST", "/orders",
                    [
                        "participantID": participant, "date": day, "start": from, "end": to, "activity": "mobility",
                        "place": "ul. Strzegomska 6, Wrocław", "requiredSkills": [String](),
                    ], as: .coordinator)
            }
            // December 2026: the programme's 30 hours for the month, whatever the day.
            #expect(try await order(programme.participantID, "2026-12-07", "08:00", "20:00").status == 201)
            #expect(try await order(programme.participantID, "2026-12-14", "08:00", "20:00").status == 201)
            let over = try await order(programme.participantID, "2026-12-21", "08:00", "14:01")
            #expect((over.body["error"] as? [String: Any])?["code"] as? String == "allowance-exceeded")
            // April 2027: 40 hours a month; May then has April's unused ones too.
            for day in ["2027-04-05", "2027-04-06", "2027-04-07"] {
                #expect(try await order(statute.participantID, day, "08:00", "20:00").status == 201)
            }
            let april = try await order(statute.participantID, "2027-04-08", "08:00", "12:01")
            #expect((april.body["error"] as? [String: Any])?["code"] as? String == "monthly-budget-exceeded")
            #expect(try await order(statute.participantID, "2027-05-03", "08:00", "20:00").status == 201)
            let months = try #require(try await allowance(statute.participantID)["monthly"] as? [String: Any])["months"] as? [[String: Any]]
            #expect(months?.prefix(2).map { $0["availableMinutes"] as? Int } == [40 * 60, 44 * 60], "April's 4 unused hours carried into May")
        }
    }
}
