import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// Who may use timesheet: operators manage keys and months; an NGO submits
/// and reads only its own entries; auditors read entries and never write.
@Suite struct TimesheetAccessTests {
    /// Every route the service serves (HTTPTests checks this list against the code and the document).
    static let operations = [
        "POST /providers/x/keys", "POST /editions/2022/months/2022-06/close", "GET /providers/x/entries/x", "POST /submissions",
        "GET /admin/outbox/parked", "POST /admin/outbox/parked/replay", "GET /participants/x/entries",
        "POST /providers/x/assistants/x/visits", "GET /admin/dead-letters", "POST /admin/dead-letters/replay", "GET /admin/consumers",
    ]

    @Test func everyRouteRefusesWhoMayNotUseIt() async throws {
        let harness = try await Harness.make("access-routes")
        try await withTimesheet(harness) { client in
            #expect(
                try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: Self.operations, authorization: nil, client: client)
                    == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client, also: ["/asyncapi.yaml"]) == [])
            let writes = Self.operations.filter { $0.hasPrefix("POST ") }
            #expect(
                try await AccessChecks.notAnswering(
                    .forbidden, code: "forbidden", to: writes, authorization: try await TestTokens.bearer(.auditor), client: client) == [])
            let operatorOnly = writes.filter { !$0.contains("submissions") }
            for token in [try await TestTokens.bearer(.provider, provider: "ngo-a"), try await TestTokens.bearer(.coordinator)] {
                #expect(
                    try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: operatorOnly, authorization: token, client: client) == [])
            }
            // Dead letters carry what senders put in them: only operators read them.
            for token in [
                try await TestTokens.bearer(.auditor), try await TestTokens.bearer(.coordinator),
                try await TestTokens.bearer(.provider, provider: "ngo-a"),
            ] {
                #expect(
                    try await AccessChecks.notAnswering(
                        .forbidden, code: "forbidden", to: ["GET /admin/dead-letters", "GET /admin/consumers"], authorization: token, client: client)
                        == [])
            }
            // A participant only reads their visits; an assistant records theirs and reads their entries (VisitTests).
            let tokens = try await TestTokens.participantAndAssistant(provider: "ngo-a")
            let notForParticipants = Self.operations.filter { $0 != "GET /participants/x/entries" }
            #expect(
                try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: notForParticipants, authorization: tokens[0], client: client)
                    == [])
            let notForAssistants = Self.operations.filter { !["POST /providers/x/assistants/x/visits", "GET /providers/x/entries/x"].contains($0) }
            #expect(
                try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: notForAssistants, authorization: tokens[1], client: client)
                    == [])
            let outbox = Self.operations.filter { $0.contains("/admin/outbox/") }
            for token in [
                try await TestTokens.bearer(.provider, provider: "ngo-a"), try await TestTokens.bearer(.coordinator),
                try await TestTokens.bearer(.auditor),
            ] {
                #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: outbox, authorization: token, client: client) == [])
            }
        }
    }

    @Test func anNGOSeesItsOwnEntriesAndNeverAnotherNGOs() async throws {
        let harness = try await Harness.make("access-ngo")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let key = try await harness.registerKey(client, for: "ngo-a")
            let record = try harness.signed(World.entry("E-own"), with: key)
            let signature: HTTPFields = [HTTPField.Name("Asysta-Signature")!: String(decoding: record.headers[0].value ?? [], as: UTF8.self)]

            // Another NGO cannot post ngo-a's entry, even correctly signed.
            let posing = try await TestTokens.headers(.provider, provider: "ngo-b", adding: signature)
            try await client.execute(uri: "/submissions", method: .post, headers: posing, body: ByteBuffer(bytes: record.value)) { response in
                #expect(response.status == .forbidden)
            }
            let own = try await TestTokens.headers(.provider, provider: "ngo-a", adding: signature)
            try await client.execute(uri: "/submissions", method: .post, headers: own, body: ByteBuffer(bytes: record.value)) { response in
                #expect(response.status == .accepted)
            }
            _ = try await harness.answers { !$0.isEmpty }

            for (role, provider, status) in [
                (Role.provider, "ngo-a", HTTPResponse.Status.ok), (.auditor, nil, .ok), (.operator, nil, .ok), (.provider, "ngo-b", .notFound),
                (.coordinator, nil, .forbidden),
            ] {
                try await client.execute(
                    uri: "/providers/ngo-a/entries/E-own", method: .get, headers: try await TestTokens.headers(role, provider: provider)
                ) { response in
                    #expect(response.status == status, "\(role) \(provider ?? "")")
                    #expect(String(buffer: response.body).contains("a-1") == (status == .ok), "the entry's data only to who may see it")
                }
            }

            // The participant reads the visit that counts for them, and nobody else's.
            for (role, participant, status, count) in [
                (Role.participant, "u-1", HTTPResponse.Status.ok, 1), (.auditor, nil, .ok, 1), (.participant, "u-2", .notFound, 0),
                (.provider, nil, .forbidden, 0),
            ] {
                let headers = try await TestTokens.headers(role, provider: role == .provider ? "ngo-a" : nil, participant: participant)
                try await client.execute(uri: "/participants/u-1/entries?month=2022-06", method: .get, headers: headers) { response in
                    #expect(response.status == status, "\(role) \(participant ?? "")")
                    if status == .ok {
                        let visits = try JSONDecoder.api.decode([CountedEntryView].self, from: response.body)
                        #expect(visits.count == count && visits.first?.entryID == "E-own" && visits.first?.minutes == 120)
                    }
                }
            }
            let otherMonth = try await TestTokens.headers(.participant, participant: "u-1")
            try await client.execute(uri: "/participants/u-1/entries?month=2022-07", method: .get, headers: otherMonth) { response in
                #expect(String(buffer: response.body) == "[]")
            }
        }
    }
}
