import Domain
import Foundation
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Ordering

@Suite("Who may use ordering")
struct OrderingAccessTests {
    @Test("every route refuses anonymous callers; auditors and NGOs never write")
    func refusals() async throws {
        let fixture = try await OrderingFixture.make("access-routes")
        let app = try fixture.service.application()
        let operations = AccessChecks.operations(of: fixture.service.router)
        let writes = operations.filter { $0.hasPrefix("POST ") }
        try await app.test(.router) { client in
            #expect(operations.count >= 11 && writes.count >= 5)
            #expect(
                try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: operations, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            for token in [try await TestTokens.bearer(.auditor), try await TestTokens.bearer(.provider, provider: "wsg-nadzieja")] {
                #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: writes, authorization: token, client: client) == [])
            }
        }
    }

    @Test("an NGO sees its own orders and assistants, another NGO's are not found")
    func providerIsolation() async throws {
        let fixture = try await OrderingFixture.withGrant("access-ngo")
        try await fixture.test { client in
            let own = "wsg-nadzieja"
            let other = "fundacja-imago"
            let assistant = try await client.assistant(provider: own)
            let order = try await client.placed()
            let unassigned = try await client.placed(["start": "14:00", "end": "15:00"])
            #expect(try await client.assign(order, assistant).status == .ok)

            let shown = try await client.send(.get, "/orders/\(order.orderID)", as: .provider, provider: own)
            #expect(shown.status == .ok)
            #expect(try JSON.decode(OrderRecord.self, shown.body).providerID == ProviderID(own))
            let listed = try JSON.decode(
                [OrderRecord].self,
                try await client.send(.get, "/participants/\(OrderingFixture.participant)/orders", as: .provider, provider: own).body)
            #expect(listed.map(\.orderID) == [order.orderID], "only the order assigned to it, not the unassigned one")
            #expect(try await client.send(.get, "/providers/\(own)/assistants", as: .provider, provider: own).status == .ok)

            let foreign = try await client.send(.get, "/orders/\(order.orderID)", as: .provider, provider: other)
            #expect(foreign.status == .notFound)
            #expect(!String(buffer: foreign.body).contains(order.place), "nothing of the order leaks")
            #expect(try await client.send(.get, "/orders/\(unassigned.orderID)", as: .provider, provider: own).status == .notFound)
            let foreignList = try await client.send(.get, "/participants/\(OrderingFixture.participant)/orders", as: .provider, provider: other)
            #expect(try JSON.decode([OrderRecord].self, foreignList.body).isEmpty)
            #expect(try await client.send(.get, "/providers/\(own)/assistants", as: .provider, provider: other).status == .notFound)
        }
    }

    @Test("an auditor reads providers and allowances but not orders, which hold an address")
    func auditorReads() async throws {
        let fixture = try await OrderingFixture.withGrant("access-auditor")
        try await fixture.test { client in
            let order = try await client.placed()
            #expect(try await client.send(.get, "/providers", as: .auditor).status == .ok)
            #expect(try await client.send(.get, "/participants/\(OrderingFixture.participant)/allowance", as: .auditor).status == .ok)
            let refused = try await client.send(.get, "/orders/\(order.orderID)", as: .auditor)
            #expect(refused.status == .forbidden && JSON.errorCode(refused) == "forbidden")
            #expect(
                try await client.send(.post, "/orders/\(order.orderID)/cancellation", ["cancelledBy": "participant"], as: .auditor).status
                    == .forbidden)
            #expect(try await client.send(.get, "/orders/\(order.orderID)", as: .coordinator).status == .ok, "the order is still there")
        }
    }
}
