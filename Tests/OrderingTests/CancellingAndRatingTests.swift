import Domain
import Foundation
import HummingbirdTesting
import ServiceRuntime
import Testing

@testable import Ordering

@Suite("Cancelling and rating over HTTP")
struct CancellingAndRatingTests {
    @Test("cancelling releases the reservation and is announced once")
    func cancel() async throws {
        let fixture = try await OrderingFixture.withGrant("cancel")
        try await fixture.test { client in
            let order = try await client.placed()
            let response = try await client.send(.post, "/orders/\(order.orderID)/cancellation", ["cancelledBy": "participant"])
            #expect(response.status == .ok)
            #expect(try JSON.decode(OrderRecord.self, response.body).status == .cancelled)
            #expect(try await client.allowance().reservedMinutes == 0)
            let again = try await client.send(.post, "/orders/\(order.orderID)/cancellation", ["cancelledBy": "participant"])
            #expect(again.status == .conflict && JSON.errorCode(again) == "already-cancelled")
            let bad = try await client.send(.post, "/orders/\(order.orderID)/cancellation", ["cancelledBy": "somebody"])
            #expect(bad.status == .unprocessableContent)
            let assignCancelled = try await client.assign(order, try await client.assistant())
            #expect(assignCancelled.status == .conflict && JSON.errorCode(assignCancelled) == "order-cancelled")
            #expect(try await fixture.published(OrderCancelled.self).map(\.cancelledBy) == [.participant])
        }
    }

    @Test("a participant cancels up to the edition's notice before the start; a coordinator later too")
    func notice() async throws {
        // 2024-05-06 09:00 with the 2024 edition's 24 hours: until 2024-05-05 09:00 in Poland.
        let fixture = try await OrderingFixture.withGrant("notice")
        try await fixture.test { client in
            let early = try await client.placed()
            #expect(early.cancellableUntil == Timestamp.parse("2024-05-05T09:00:00+02:00"))
            #expect(try await client.send(.post, "/orders/\(early.orderID)/cancellation", ["cancelledBy": "participant"]).status == .ok)
            // Two hours ahead of the programme's now (its day pinned, the time of day real), so
            // within the notice at any hour: refused with its reason, for the participant only.
            let (day, second) = PolishTime.wallClock(ProgrammeClock(day: { OrderingFixture.today }).now().addingTimeInterval(2 * 3600))
            let late = try await client.placed([
                "date": day.description, "start": PolishTime.clock(second), "end": PolishTime.clock((second + 3600) % 86_400),
            ])
            let refused = try await client.send(
                .post, "/orders/\(late.orderID)/cancellation", ["cancelledBy": "participant"], as: .participant,
                participant: OrderingFixture.participant.rawValue)
            #expect(refused.status == .conflict && JSON.errorCode(refused) == "cancellation-too-late", "\(String(buffer: refused.body))")
            let byCoordinator = try await client.send(.post, "/orders/\(late.orderID)/cancellation", ["cancelledBy": "coordinator"])
            #expect(byCoordinator.status == .ok)
        }
    }

    @Test("a delivered service is rated once; the comment stays in ordering")
    func rate() async throws {
        let fixture = try await OrderingFixture.withGrant("rate")
        let comment = "Pani Basia była świetna"
        try await fixture.test { client in
            let placed = try await client.placed()
            #expect(try await client.assign(placed, try await client.assistant()).status == .ok)
            let early = try await client.send(.post, "/orders/\(placed.orderID)/rating", ["scores": [["question": "punctuality", "score": 5]]])
            #expect(early.status == .conflict && JSON.errorCode(early) == "not-delivered")
            let order = try JSON.decode(OrderRecord.self, try await client.send(.get, "/orders/\(placed.orderID)").body)
            try await fixture.apply(OrderingFixture.accounted(order))

            let cancel = try await client.send(.post, "/orders/\(order.orderID)/cancellation", ["cancelledBy": "participant"])
            #expect(cancel.status == .conflict && JSON.errorCode(cancel) == "order-delivered")
            let invalid = try await client.send(.post, "/orders/\(order.orderID)/rating", ["scores": [["question": "punctuality", "score": 6]]])
            #expect(invalid.status == .unprocessableContent)
            let rating =
                ["scores": [["question": "punctuality", "score": 5], ["question": "kindness", "score": 4]], "comment": comment] as [String: Any]
            let first = try await client.send(.post, "/orders/\(order.orderID)/rating", rating)
            #expect(first.status == .created)
            #expect(try JSON.decode(RatingRecord.self, first.body).comment == comment)
            let second = try await client.send(.post, "/orders/\(order.orderID)/rating", rating)
            #expect(second.status == .conflict && JSON.errorCode(second) == "already-rated")
            let rated = try await fixture.published(ServiceRated.self)
            #expect(rated.map(\.scores) == [[.init(question: "punctuality", score: 5), .init(question: "kindness", score: 4)]])
            #expect(rated.first?.providerID == ProviderID("wsg-nadzieja"))
            #expect(!(try await fixture.publishedText()).contains("Basia"))
        }
    }
}

@Suite("What consumed events do to allowances, orders and providers")
struct LedgerTests {
    @Test("accounted, corrected and voided entries move minutes between reserved and delivered")
    func deliveries() async throws {
        let fixture = try await OrderingFixture.withGrant("ledger-delivery", hours: 10)
        try await fixture.test { client in
            let order = try await client.placed()  // 180 reserved of 600
            func allowance() async throws -> [Int] {
                let a = try await client.allowance()
                return [a.reservedMinutes, a.deliveredMinutes, a.remainingMinutes]
            }
            #expect(try await allowance() == [180, 0, 420])
            try await fixture.apply(OrderingFixture.accounted(order, minutes: 120))
            #expect(try await allowance() == [0, 120, 480], "the first entry releases the whole reservation")
            try await fixture.apply(
                TimesheetEntryCorrected(
                    providerID: ProviderID("wsg-nadzieja"), entryID: "e-1", sequence: 2, supersededSequence: 1, participantID: order.participantID,
                    assistantID: AssistantID("a-x"), orderID: order.orderID, editionID: order.editionID, start: order.startsAt, end: order.endsAt,
                    month: CalendarDate(order.startsAt).yearMonth, previousMonth: CalendarDate(order.startsAt).yearMonth, minutes: 180,
                    previousMinutes: 120,
                    expenses: nil, previousExpenses: nil, reason: "typo", remainingMinutes: 420))
            #expect(try await allowance() == [0, 180, 420], "a correction adds minutes − previousMinutes")
            // A late, older version changes nothing.
            try await fixture.apply(OrderingFixture.accounted(order, minutes: 60))
            #expect(try await allowance() == [0, 180, 420])
            try await fixture.apply(
                TimesheetEntryVoided(
                    providerID: ProviderID("wsg-nadzieja"), entryID: "e-1", sequence: 3, participantID: order.participantID,
                    assistantID: AssistantID("a-x"),
                    orderID: order.orderID, editionID: order.editionID, month: CalendarDate(order.startsAt).yearMonth, minutes: 180, expenses: nil,
                    reason: "never happened", remainingMinutes: 600))
            #expect(try await allowance() == [180, 0, 420], "voiding the only entry makes the open order reserve again")
        }
    }

    @Test("a revocation cancels the orders after its day as the coordinator and keeps the earlier ones")
    func revocation() async throws {
        let fixture = try await OrderingFixture.withGrant("ledger-revoke", hours: 40)
        try await fixture.test { client in
            let before = try await client.placed(["date": "2024-06-10"])
            let onTheDay = try await client.placed(["date": "2024-06-30"])
            let after = try await client.placed(["date": "2024-07-02"])
            let pastMidnight = try await client.placed(["date": "2024-06-30", "start": "23:00", "end": "01:00"])
            try await fixture.apply(
                SupportRevoked(
                    grantID: GrantID("g-anna-2024"), participantID: OrderingFixture.participant, editionID: EditionID("2024"),
                    revokedOn: CalendarDate("2024-06-30")!))

            let cancelled = try await fixture.published(OrderCancelled.self)
            #expect(Set(cancelled.map(\.orderID)) == [after.orderID, pastMidnight.orderID])
            #expect(cancelled.allSatisfy { $0.cancelledBy == .coordinator })
            let statuses = try JSON.decode(
                [OrderRecord].self, try await client.send(.get, "/participants/\(OrderingFixture.participant)/orders").body
            )
            .reduce(into: [OrderID: OrderStatus]()) { $0[$1.orderID] = $1.status }
            #expect(statuses == [before.orderID: .placed, onTheDay.orderID: .placed, after.orderID: .cancelled, pastMidnight.orderID: .cancelled])
            #expect(try await client.allowance().revokedOn == CalendarDate("2024-06-30"))
            let later = try await client.placeOrder(["date": "2024-07-01"])
            #expect(JSON.errorCode(later) == "outside-grant-period", "no new orders after the revocation day")
        }
    }

    @Test("an edition registers its eight providers once; a republished edition announces nothing new")
    func providers() async throws {
        let fixture = try await OrderingFixture.withGrant("ledger-providers")
        try await fixture.test { client in
            try await fixture.apply(EditionPublished(rules: OrderingFixture.edition2024))
            var changed = OrderingFixture.edition2024
            changed.providers[0].hourlyRate = Money(zloty: 45)
            try await fixture.apply(EditionPublished(rules: changed))
            let registered = try await fixture.published(ProviderRegistered.self)
            #expect(registered.count == 9, "eight at first, then one for the changed rate")
            #expect(
                registered.filter { $0.providerID == changed.providers[0].id }.map(\.hourlyRate) == [
                    OrderingFixture.edition2024.providers[0].hourlyRate, Money(zloty: 45),
                ])
            let providers = try JSON.decode([ProviderRecord].self, try await client.send(.get, "/providers").body)
            #expect(providers.count == 8)
            #expect(providers.contains { $0.name == "Fundacja Promyk Słońca" })
        }
    }
}
