import Domain
import Foundation
import HummingbirdTesting
import Testing

@testable import Ordering

@Suite("Ordering under concurrent load")
struct LoadTests {
    @Test("many orders placed at once, for many participants, are all placed")
    func manyOrders() async throws {
        let fixture = try await OrderingFixture.make("load")
        try await fixture.apply(EditionPublished(rules: OrderingFixture.edition2024))
        let participants = (0..<20).map { ParticipantID(String(format: "load-p-%02d", $0)) }
        for participant in participants {
            try await fixture.apply(
                SupportGranted(
                    grantID: GrantID("g-" + participant.rawValue), participantID: participant,
                    applicationID: ApplicationID("a-" + participant.rawValue),
                    editionID: EditionID("2024"), group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false), hours: 10_000,
                    period: DateRange(start: CalendarDate("2024-01-01")!, end: CalendarDate("2024-12-31")!), grantedOn: CalendarDate("2024-01-01")!))
        }
        try await fixture.test { client in
            let failures = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        var failures: [String] = []
                        for round in 0..<8 {
                            let participant = participants[(worker + round) % participants.count]
                            let hour = 6 + (worker * 8 + round) % 14
                            let response = try await client.placeOrder([
                                "participantID": participant.rawValue, "date": String(format: "2024-%02d-%02d", 3 + round, 1 + worker % 28),
                                "start": String(format: "%02d:00", hour), "end": String(format: "%02d:30", hour), "requiredSkills": [String](),
                            ])
                            if response.status != .created { failures.append("\(response.status) \(String(buffer: response.body))") }
                        }
                        return failures
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(failures.isEmpty, "\(failures.count) of 512 refused: \(failures.prefix(3))")
            var reserved = 0
            for participant in participants { reserved += try await client.allowance(participant).reservedMinutes }
            #expect(reserved == 512 * 30, "every placed order reserves its 30 minutes, once")
        }
    }
}
