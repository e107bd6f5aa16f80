import Domain
import Foundation
import HummingbirdTesting
import Testing

@testable import Ordering

@Suite("Assigning orders over HTTP")
struct AssigningOrdersTests {
    @Test("a suggested assistant is assigned, announced, and no longer suggested for an overlapping order")
    func happyPath() async throws {
        let fixture = try await OrderingFixture.withGrant("assign-ok")
        try await fixture.test { client in
            let signer = try await client.assistant(skills: ["sign-language"])
            _ = try await client.assistant(provider: "pzn-dolnoslaski", skills: ["guiding-blind"])
            let order = try await client.placed()
            let suggestions = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(order.orderID)/suggestions").body)
            #expect(suggestions.map(\.assistantID) == [signer.assistantID])

            let response = try await client.assign(order, signer)
            #expect(response.status == .ok)
            let assigned = try JSON.decode(OrderRecord.self, response.body)
            #expect(assigned.status == .assigned && assigned.assistantID == signer.assistantID && assigned.providerID == ProviderID("wsg-nadzieja"))
            #expect(try await client.allowance().reservedMinutes == 180, "an assigned order still reserves")

            let again = try await client.assign(order, signer)
            #expect(again.status == .conflict && JSON.errorCode(again) == "already-assigned")
            let overlapping = try await client.placed(["start": "11:00", "end": "13:00"])
            #expect(try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(overlapping.orderID)/suggestions").body).isEmpty)

            let events = try await fixture.published(OrderAssigned.self)
            #expect(events.count == 1)
            #expect(events.first?.providerID == ProviderID("wsg-nadzieja"))
            let registered = Dictionary(grouping: try await fixture.published(AssistantRegistered.self), by: \.providerID).mapValues {
                $0.map(\.skills)
            }
            #expect(registered == [ProviderID("wsg-nadzieja"): [[.signLanguage]], ProviderID("pzn-dolnoslaski"): [[.guidingBlind]]])

            // Another day: the assistant who served the participant comes first, and says so,
            // ahead of a colleague of the same NGO and of an assistant of another NGO.
            let colleague = try await client.assistant(skills: ["sign-language"])
            let other = try await client.assistant(provider: "pzn-dolnoslaski", skills: ["sign-language"])
            let nextWeek = try await client.placed(["date": "2024-05-13", "requiredSkills": ["sign-language"]])
            let ranked = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(nextWeek.orderID)/suggestions").body)
            #expect(ranked.map(\.assistantID) == [signer.assistantID, colleague.assistantID, other.assistantID])
            #expect(ranked.map(\.continuity) == [.sameAssistant, .sameProvider, .none])
            #expect(ranked.first?.reason.hasPrefix("has served this participant 1 time before") == true, "\(ranked.first?.reason ?? "")")

            // The participant names a preferred assistant: only one who served them before.
            let stranger = try await client.placeOrder(["date": "2024-05-14", "preferredAssistantID": colleague.assistantID.rawValue])
            #expect(stranger.status == .unprocessableContent && JSON.errorCode(stranger) == "preferred-assistant-unknown")
            #expect(try await client.assign(nextWeek, colleague).status == .ok)
            let asked = try await client.placed(["date": "2024-05-20", "preferredAssistantID": colleague.assistantID.rawValue])
            #expect(asked.preferredAssistantID == colleague.assistantID)
            let preferred = try JSON.decode([SuggestionRecord].self, try await client.send(.get, "/orders/\(asked.orderID)/suggestions").body)
            #expect(preferred.map(\.assistantID) == [colleague.assistantID, signer.assistantID, other.assistantID])
            #expect(preferred.first?.continuity == .preferred)
        }
    }

    @Test(
        "each rule refuses with its own code",
        arguments: [
            ("missing-skills", 422),
            ("assistant-excluded", 422),
            ("assistant-unavailable", 422),
            ("assistant-booked", 409),
            ("assistant-daily-limit", 422),
            ("assistant-not-with-provider", 422),
        ])
    func refusals(code: String, status: Int) async throws {
        let fixture = try await OrderingFixture.withGrant("assign-\(code)", hours: 40)
        try await fixture.test { client in
            // 2024-05-06 is a Monday; the order runs 09:00–12:00.
            let order = try await client.placed()
            let assistant: AssistantRecord
            var target = order
            switch code {
            case "missing-skills":
                assistant = try await client.assistant(skills: ["driving"])
            case "assistant-excluded":
                assistant = try await client.assistant(excluded: [OrderingFixture.participant.rawValue])
            case "assistant-unavailable":
                assistant = try await client.assistant(availability: [["weekday": 1, "from": "09:30", "to": "16:00"]])
            case "assistant-booked":
                assistant = try await client.assistant()
                let first = try await client.placed(["start": "11:59", "end": "14:00"])
                #expect(try await client.assign(first, assistant).status == .ok)
            case "assistant-daily-limit":
                assistant = try await client.assistant()
                let first = try await client.placed(["start": "12:00", "end": "21:01"])  // 9 h 1 min + 3 h
                #expect(try await client.assign(first, assistant).status == .ok)
            default:
                let other = try await client.assistant(provider: "fundacja-imago")
                assistant = AssistantRecord(
                    assistantID: other.assistantID, providerID: ProviderID("wsg-nadzieja"), skills: other.skills, availability: [],
                    excludedParticipants: [], relatives: [], qualifications: [])
            }
            if code == "assistant-not-with-provider" { target = order }
            let response = try await client.assign(target, assistant)
            #expect(Int(response.status.code) == status)
            #expect(JSON.errorCode(response) == code)
            let unchanged = try JSON.decode(OrderRecord.self, try await client.send(.get, "/orders/\(order.orderID)").body)
            #expect(unchanged.status == .placed)
            #expect(try await fixture.published(OrderAssigned.self).count == (code == "assistant-booked" || code == "assistant-daily-limit" ? 1 : 0))
        }
    }

    @Test("exactly 12 hours in 24 can be assigned")
    func exactlyTwelveHours() async throws {
        let fixture = try await OrderingFixture.withGrant("assign-12h", hours: 40)
        try await fixture.test { client in
            let assistant = try await client.assistant()
            let first = try await client.placed(["start": "12:00", "end": "21:00"])
            #expect(try await client.assign(first, assistant).status == .ok)
            let second = try await client.placed()  // 09:00–12:00: 12 h from 09:00
            #expect(try await client.assign(second, assistant).status == .ok)
        }
    }

    @Test("two coordinators assigning one assistant at once: one wins, the others get assistant-booked")
    func concurrentAssignment() async throws {
        let fixture = try await OrderingFixture.withGrant("assign-race", hours: 40)
        try await fixture.test { client in
            let assistant = try await client.assistant()
            var orders: [OrderRecord] = []
            for start in ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"] {
                orders.append(try await client.placed(["start": start, "end": "12:00"]))
            }
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for order in orders {
                    group.addTask {
                        let response = try await client.assign(order, assistant)
                        return (Int(response.status.code), JSON.errorCode(response))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 200 }.count == 1)
            #expect(answers.filter { $0 == (409, "assistant-booked") }.count == orders.count - 1)
            #expect(try await fixture.published(OrderAssigned.self).count == 1)
        }
    }

    @Test("unknown order, assistant and provider are 404")
    func notFound() async throws {
        let fixture = try await OrderingFixture.withGrant("assign-404")
        try await fixture.test { client in
            let order = try await client.placed()
            let ghost = AssistantRecord(
                assistantID: AssistantID("nobody"), providerID: ProviderID("wsg-nadzieja"), skills: [], availability: [], excludedParticipants: [],
                relatives: [], qualifications: [])
            #expect(try await client.assign(order, ghost).status == .notFound)
            #expect(try await client.send(.get, "/orders/nothing").status == .notFound)
            #expect(try await client.send(.get, "/orders/nothing/suggestions").status == .notFound)
            #expect(try await client.send(.post, "/providers/no-such-ngo/assistants", ["skills": [], "availability": []]).status == .notFound)
            #expect(try await client.send(.get, "/providers/no-such-ngo/assistants").status == .notFound)
        }
    }
}
