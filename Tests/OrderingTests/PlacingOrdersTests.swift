import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Ordering

@Suite("Placing orders over HTTP")
struct PlacingOrdersTests {
    @Test("an order reserves its minutes, is listed, and is announced without its place")
    func happyPath() async throws {
        let fixture = try await OrderingFixture.withGrant("place-ok", hours: 20)
        try await fixture.test { client in
            let order = try await client.placed()
            #expect(order.status == .placed)
            #expect(order.minutes == 180)
            #expect(order.editionID == EditionID("2024") && order.grantID == GrantID("g-anna-2024"))
            #expect(order.place == "ul. Testowa 1, Wrocław")

            let allowance = try await client.allowance()
            #expect(allowance.grantedMinutes == 1200)
            #expect(allowance.reservedMinutes == 180)
            #expect(allowance.deliveredMinutes == 0)
            #expect(allowance.remainingMinutes == 1020)
            #expect(allowance.period == DateRange(start: CalendarDate("2024-03-01")!, end: CalendarDate("2024-12-31")!))

            let listed = try JSON.decode([OrderRecord].self, try await client.send(.get, "/participants/\(OrderingFixture.participant)/orders").body)
            #expect(listed.map(\.orderID) == [order.orderID])
            let shown = try await client.send(.get, "/orders/\(order.orderID)")
            #expect(try JSON.decode(OrderRecord.self, shown.body) == order)
            let placed = try await fixture.published(OrderPlaced.self)
            #expect(placed.count == 1)
            #expect(placed.first?.requiredSkills == [.signLanguage])
            #expect(placed.first?.minutes == 180)
            #expect(!(try await fixture.publishedText()).contains("Testowa"), "the place never leaves ordering")
        }
    }

    @Test("a coordinator lists a week's orders by status; a participant may not, and a bad range is refused per field")
    func aWeeksOrders() async throws {
        let fixture = try await OrderingFixture.withGrant("place-week", hours: 40)
        try await fixture.test { client in
            let monday = try await client.placed(["date": "2024-05-06"])
            let sunday = try await client.placed(["date": "2024-05-12", "start": "22:00", "end": "23:30"])
            let nextWeek = try await client.placed(["date": "2024-05-13"])
            let assistant = try await client.assistant()
            #expect(try await client.assign(monday, assistant).status == .ok)
            func listed(_ query: String) async throws -> [OrderID] {
                try JSON.decode([OrderRecord].self, try await client.send(.get, "/orders?" + query).body).map(\.orderID)
            }
            #expect(try await listed("from=2024-05-06&to=2024-05-12") == [monday.orderID, sunday.orderID])
            #expect(try await listed("from=2024-05-06&to=2024-05-12&status=placed") == [sunday.orderID])
            #expect(try await listed("from=2024-05-13&to=2024-05-13") == [nextWeek.orderID])
            #expect(
                try await client.send(.get, "/orders?from=2024-05-06&to=2024-05-12", as: .participant, participant: "p-anna").status == .forbidden)
            for (query, field) in [
                ("to=2024-05-12", "from"), ("from=2024-05-12&to=2024-05-06", "to"), ("from=2024-05-01&to=2024-06-30", "to"),
                ("from=2024-05-06&to=2024-05-12&status=done", "status"),
            ] {
                let refused = try await client.send(.get, "/orders?" + query)
                #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("\"\(field)\""), "\(query)")
            }
        }
    }

    @Test("an order past midnight ends the next day")
    func pastMidnight() async throws {
        let fixture = try await OrderingFixture.withGrant("place-night")
        try await fixture.test { client in
            let order = try await client.placed(["start": "22:00", "end": "02:00", "requiredSkills": [String]()])
            #expect(order.requiredSkills.isEmpty)
            #expect(order.minutes == 240)
            #expect(CalendarDate(order.endsAt) == CalendarDate("2024-05-07"))
        }
    }

    @Test("no grant: no-grant")
    func noGrant() async throws {
        let fixture = try await OrderingFixture.make("place-no-grant")
        try await fixture.test { client in
            let response = try await client.placeOrder()
            #expect(response.status == .unprocessableContent)
            #expect(JSON.errorCode(response) == "no-grant")
            #expect(try await client.send(.get, "/participants/\(OrderingFixture.participant)/allowance").status == .notFound)
        }
    }

    @Test(
        "outside the grant's period or after its revocation: outside-grant-period",
        arguments: [
            ("2024-02-29", "09:00", "12:00", nil),
            ("2024-12-31", "22:00", "01:00", nil),
            ("2024-07-01", "09:00", "10:00", "2024-06-30"),
        ] as [(String, String, String, String?)])
    func outsidePeriod(date: String, start: String, end: String, revokedOn: String?) async throws {
        let fixture = try await OrderingFixture.withGrant("place-outside")
        if let revokedOn {
            try await fixture.apply(
                SupportRevoked(
                    grantID: GrantID("g-anna-2024"), participantID: OrderingFixture.participant, editionID: EditionID("2024"),
                    revokedOn: CalendarDate(revokedOn)!))
        }
        try await fixture.test { client in
            let response = try await client.placeOrder(["date": date, "start": start, "end": end])
            #expect(response.status == .unprocessableContent)
            #expect(JSON.errorCode(response) == "outside-grant-period")
        }
    }

    @Test("exactly the remaining minutes pass, one more is allowance-exceeded")
    func allowanceExceeded() async throws {
        let fixture = try await OrderingFixture.withGrant("place-allowance", hours: 5)
        try await fixture.test { client in
            _ = try await client.placed(["start": "08:00", "end": "10:00"])  // 120 reserved, 180 left
            let over = try await client.placeOrder(["date": "2024-05-07", "start": "08:00", "end": "11:01"])
            #expect(over.status == .unprocessableContent)
            #expect(JSON.errorCode(over) == "allowance-exceeded")
            _ = try await client.placed(["date": "2024-05-07", "start": "08:00", "end": "11:00"])
            #expect(try await client.allowance().remainingMinutes == 0)
        }
    }

    @Test("orders placed at once never overspend the allowance")
    func concurrentPlacement() async throws {
        let fixture = try await OrderingFixture.withGrant("place-race", hours: 10)
        try await fixture.test { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for day in 10...15 {
                    group.addTask { Int(try await client.placeOrder(["date": "2024-05-\(day)", "start": "08:00", "end": "11:00"]).status.code) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 3)
            #expect(statuses.filter { $0 == 422 }.count == 3)
            #expect(try await client.allowance().remainingMinutes == 60)
        }
    }

    @Test("invalid input names the fields")
    func invalidInput() async throws {
        let fixture = try await OrderingFixture.withGrant("place-invalid")
        try await fixture.test { client in
            for fields: [String: Any] in [["place": "  "], ["start": "9:00"], ["end": "09:00"], ["activity": "skydiving"], ["date": "2024-02-30"]] {
                let response = try await client.placeOrder(fields)
                #expect(response.status == .unprocessableContent, "\(fields)")
                #expect(JSON.errorCode(response) == "invalid-input", "\(fields)")
            }
            let malformed = try await client.execute(
                uri: "/orders", method: .post, headers: [.authorization: try await TestTokens.bearer(.coordinator)], body: ByteBuffer(string: "{"))
            #expect(
                malformed.status == .badRequest && JSON.errorCode(malformed) == "malformed-json",
                "unparseable JSON is a bad request, not a field error")
        }
    }
}
