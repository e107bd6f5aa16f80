import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// An assistant records a visit with their own token: it becomes an entry of
/// their NGO, answered through the same consumer as the NGO's own entries.
@Suite struct VisitTests {
    static var visit: [String: Any] {
        [
            "orderID": "o-1", "start": "2022-06-01T08:00:00Z", "end": "2022-06-01T10:00:00Z", "activity": "errands",
            "expenses": ["travel": "7.40", "tickets": "0.00", "protectiveEquipment": "0.00"],
        ]
    }

    func post(
        _ client: some TestClientProtocol, _ path: String, _ body: [String: Any], as role: Role, provider: String?, assistant: String?
    )
        async throws -> TestResponse
    {
        var headers = try await TestTokens.headers(role, provider: provider, assistant: assistant)
        headers[.contentType] = "application/json"
        return try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }

    @Test func anAssistantRecordsTheirOwnVisitAndItIsAnsweredLikeAnNGOsEntry() async throws {
        let harness = try await Harness.make("visits")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let ngoKey = try await harness.registerKey(client, for: "ngo-a")

            let queued = try await post(
                client, "/providers/ngo-a/assistants/a-1/visits", Self.visit, as: .assistant, provider: "ngo-a", assistant: "a-1")
            #expect(queued.status == .accepted, "\(String(buffer: queued.body))")
            #expect(String(buffer: queued.body).contains(#""history":"/providers/ngo-a/entries/wizyta-o-1""#))
            let answers = try await harness.answers { $0.contains { $0.entryID == "wizyta-o-1" } }
            let answer = try #require(answers.first { $0.entryID == "wizyta-o-1" })
            #expect(answer.type == "HoursAccounted" && answer.minutes == 120, "\(answer)")

            // The audit trail shows it came through the assistants' channel, not the NGO's key.
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM entry_versions WHERE entry_id = 'wizyta-o-1' AND signature LIKE 'keyId=assistants-ngo-a,%'") == 1)
            for (assistant, status) in [("a-1", HTTPResponse.Status.ok), ("a-2", .notFound)] {
                let headers = try await TestTokens.headers(.assistant, provider: "ngo-a", assistant: assistant)
                try await client.execute(uri: "/providers/ngo-a/entries/wizyta-o-1", method: .get, headers: headers) { response in
                    #expect(response.status == status, "\(assistant)")
                }
            }

            let again = try await post(
                client, "/providers/ngo-a/assistants/a-1/visits", Self.visit, as: .assistant, provider: "ngo-a", assistant: "a-1")
            #expect(again.status == .conflict && String(buffer: again.body).contains("already-recorded"))

            // Only an order assigned to the assistant, only as themselves, only for their NGO.
            for (path, order, provider, assistant, status) in [
                ("/providers/ngo-a/assistants/a-2/visits", "o-1", "ngo-a", "a-2", HTTPResponse.Status.notFound),
                ("/providers/ngo-a/assistants/a-1/visits", "o-4", "ngo-a", "a-1", .notFound),
                ("/providers/ngo-a/assistants/a-1/visits", "o-2", "ngo-a", "a-2", .notFound),
                ("/providers/ngo-b/assistants/a-1/visits", "o-2", "ngo-a", "a-1", .notFound),
                ("/providers/ngo-a/assistants/a-1/visits", "o-nie-ma", "ngo-a", "a-1", .notFound),
            ] {
                var body = Self.visit
                body["orderID"] = order
                let refused = try await post(client, path, body, as: .assistant, provider: provider, assistant: assistant)
                #expect(refused.status == status, "\(path) \(order) as \(assistant)")
            }
            let byNGO = try await post(client, "/providers/ngo-a/assistants/a-1/visits", Self.visit, as: .provider, provider: "ngo-a", assistant: nil)
            #expect(byNGO.status == .forbidden, "an NGO's system uses its own signed channel")

            // A new NGO key replaces the NGO's keys, not the assistants' channel.
            _ = try await harness.registerKey(client, for: "ngo-a")
            #expect(try await harness.count("SELECT count(*) FROM signing_keys WHERE key_id = 'assistants-ngo-a' AND expires_at IS NULL") == 1)
            #expect(try await harness.count("SELECT count(*) FROM signing_keys WHERE key_id = \(ngoKey.keyID) AND expires_at IS NOT NULL") == 1)
        }
    }
}
