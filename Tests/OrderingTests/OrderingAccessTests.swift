import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Ordering

@Suite("Who may use ordering")
struct OrderingAccessTests {
    @Test("every route refuses anonymous callers; auditors never write, NGOs only their assistants")
    func refusals() async throws {
        let fixture = try await OrderingFixture.make("access-routes")
        let app = try fixture.service.application()
        let operations = AccessChecks.operations(of: fixture.service.router)
        let writes = operations.filter { $0.hasPrefix("POST ") || $0.hasPrefix("PUT ") }
        try await app.test(.router) { client in
            #expect(operations.count >= 11 && writes.count >= 5)
            #expect(
                try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: operations, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            let auditor = try await TestTokens.bearer(.auditor)
            #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: writes, authorization: auditor, client: client) == [])
            let ngo = try await TestTokens.bearer(.provider, provider: "wsg-nadzieja")
            let notTheirAssistants = writes.filter { !$0.contains("/assistants") }
            #expect(
                try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: notTheirAssistants, authorization: ngo, client: client) == [])
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

            // An NGO registers and changes its own assistants, never another's.
            let profile: [String: Any] = [
                "skills": ["driving"], "availability": [["weekday": 1, "from": "08:00", "to": "16:00"]], "excludedParticipants": [],
            ]
            let registered = try await client.send(.post, "/providers/\(own)/assistants", profile, as: .provider, provider: own)
            #expect(registered.status == .created)
            let mine = try JSON.decode(AssistantRecord.self, registered.body)
            #expect(try await client.send(.post, "/providers/\(other)/assistants", profile, as: .provider, provider: own).status == .notFound)
            var changed = profile
            changed["skills"] = ["driving", "first-aid"]
            changed["excludedParticipants"] = [OrderingFixture.participant.rawValue]
            let path = "/providers/\(own)/assistants/\(mine.assistantID)"
            #expect(try await client.send(.put, path, changed, as: .provider, provider: other).status == .notFound)
            #expect(try await client.send(.put, "/providers/\(other)/assistants/\(mine.assistantID)", changed).status == .notFound)
            let updated = try await client.send(.put, path, changed, as: .provider, provider: own)
            #expect(updated.status == .ok)
            #expect(try JSON.decode(AssistantRecord.self, updated.body).excludedParticipants == [OrderingFixture.participant])
            let announced = try await fixture.published(AssistantRegistered.self).filter { $0.assistantID == mine.assistantID }
            #expect(announced.map(\.skills) == [[.driving], [.driving, .firstAid]], "the change of skills is announced again")
            // Now excluded (a family tie): never suggested for the participant.
            let later = try await client.placed(["date": "2024-05-13", "requiredSkills": []])
            let suggested = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(later.orderID)/suggestions").body)
            #expect(!suggested.map(\.assistantID).contains(mine.assistantID))
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

    @Test("a participant reads, places, cancels and rates only their own; another's id is answered as a missing one")
    func participantIsolation() async throws {
        let fixture = try await OrderingFixture.withGrant("access-participant")
        let bob = ParticipantID("p-bob")
        try await fixture.apply(
            SupportGranted(
                grantID: GrantID("g-bob-2024"), participantID: bob, applicationID: ApplicationID("app-2"), editionID: EditionID("2024"),
                group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false), hours: 20,
                period: DateRange(start: CalendarDate("2024-03-01")!, end: CalendarDate("2024-12-31")!), grantedOn: CalendarDate("2024-03-01")!))
        try await fixture.test { client in
            let anna = OrderingFixture.participant.rawValue
            func asAnna(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil) async throws -> TestResponse {
                try await client.send(method, uri, body, as: .participant, participant: anna)
            }
            let annas = try await client.placed()
            let bobs = try await client.placed(["participantID": bob.rawValue])

            #expect(try await asAnna(.get, "/participants/\(anna)/allowance").status == .ok)
            let listed = try JSON.decode([OrderRecord].self, try await asAnna(.get, "/participants/\(anna)/orders").body)
            #expect(listed.map(\.orderID) == [annas.orderID])
            #expect(try await asAnna(.get, "/orders/\(annas.orderID)").status == .ok)
            for uri in ["/participants/\(bob)/allowance", "/participants/\(bob)/orders", "/orders/\(bobs.orderID)", "/orders/o-missing"] {
                let refused = try await asAnna(.get, uri)
                #expect(refused.status == .notFound, "\(uri)")
                #expect(!String(buffer: refused.body).contains(bobs.place))
            }

            let order: [String: Any] = [
                "date": "2024-05-07", "start": "09:00", "end": "10:00", "activity": "culture", "place": "ul. Testowa 1, Wrocław",
            ]
            #expect(try await asAnna(.post, "/orders", order.merging(["participantID": anna]) { $1 }).status == .created)
            let forBob = try await asAnna(.post, "/orders", order.merging(["participantID": bob.rawValue]) { $1 })
            let forNobody = try await client.send(.post, "/orders", order.merging(["participantID": "p-nobody"]) { $1 })
            #expect(forBob.status == forNobody.status && JSON.errorCode(forBob) == "no-grant" && JSON.errorCode(forNobody) == "no-grant")

            #expect(try await asAnna(.post, "/orders/\(bobs.orderID)/cancellation", ["cancelledBy": "participant"]).status == .notFound)
            #expect(
                try await asAnna(.post, "/orders/\(bobs.orderID)/rating", ["scores": [["question": "punctuality", "score": 5]]]).status == .notFound)
            let cancelled = try await asAnna(.post, "/orders/\(annas.orderID)/cancellation", ["cancelledBy": "coordinator"])
            #expect(cancelled.status == .ok)
            #expect(try JSON.decode(OrderRecord.self, cancelled.body).cancelledBy == .participant, "a participant cancels as the participant")
            #expect(try JSON.decode(OrderRecord.self, try await client.send(.get, "/orders/\(bobs.orderID)").body).status == .placed)

            for (method, uri) in [
                (HTTPRequest.Method.post, "/orders/\(annas.orderID)/assignment"), (.get, "/orders/\(annas.orderID)/suggestions"),
                (.post, "/providers/wsg-nadzieja/assistants"), (.get, "/providers/wsg-nadzieja/assistants"),
            ] {
                let refused = try await asAnna(method, uri, [:])
                #expect(refused.status == .forbidden && JSON.errorCode(refused) == "forbidden", "\(method) \(uri)")
            }
            #expect(try await asAnna(.get, "/providers").status == .ok, "the NGOs are public")
        }
    }

    @Test("an assistant sees the orders assigned to them, not a colleague's, and changes nothing")
    func assistantIsolation() async throws {
        let fixture = try await OrderingFixture.withGrant("access-assistant", hours: 40)
        try await fixture.test { client in
            let own = "wsg-nadzieja"
            let me = try await client.assistant(provider: own)
            let colleague = try await client.assistant(provider: own)
            let mine = try await client.placed()
            let theirs = try await client.placed(["start": "14:00", "end": "15:00"])
            #expect(try await client.assign(mine, me).status == .ok)
            #expect(try await client.assign(theirs, colleague).status == .ok)
            func asMe(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil) async throws -> TestResponse {
                try await client.send(method, uri, body, as: .assistant, provider: own, assistant: me.assistantID.rawValue)
            }

            #expect(try await asMe(.get, "/orders/\(mine.orderID)").status == .ok)
            let assigned = try JSON.decode([OrderRecord].self, try await asMe(.get, "/providers/\(own)/assistants/\(me.assistantID)/orders").body)
            #expect(assigned.map(\.orderID) == [mine.orderID])
            for uri in [
                "/orders/\(theirs.orderID)", "/providers/\(own)/assistants/\(colleague.assistantID)/orders",
                "/providers/fundacja-imago/assistants/\(me.assistantID)/orders",
            ] {
                #expect(try await asMe(.get, uri).status == .notFound, "\(uri)")
            }
            let byNGO = try await client.send(.get, "/providers/\(own)/assistants/\(colleague.assistantID)/orders", as: .provider, provider: own)
            #expect(try JSON.decode([OrderRecord].self, byNGO.body).map(\.orderID) == [theirs.orderID], "the NGO sees each of its assistants")
            #expect(
                try await client.send(.get, "/providers/\(own)/assistants/\(me.assistantID)/orders", as: .provider, provider: "fundacja-imago")
                    .status == .notFound)

            for (method, uri) in [
                (HTTPRequest.Method.post, "/orders"), (.post, "/orders/\(mine.orderID)/cancellation"), (.post, "/orders/\(mine.orderID)/rating"),
                (.post, "/orders/\(mine.orderID)/assignment"), (.get, "/participants/\(OrderingFixture.participant)/orders"),
                (.get, "/participants/\(OrderingFixture.participant)/allowance"), (.get, "/providers/\(own)/assistants"),
            ] {
                let refused = try await asMe(method, uri, [:])
                #expect(refused.status == .forbidden && JSON.errorCode(refused) == "forbidden", "\(method) \(uri)")
            }
        }
    }
}
