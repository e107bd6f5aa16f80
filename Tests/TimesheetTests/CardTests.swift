import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// The participant's monthly card: the visits that count, a contest, the month's
/// confirmation, and how a contest ends — the NGO voids or corrects the entry, or an
/// operator decides the visit stands.
@Suite struct CardTests {
    struct Caller {
        var role: Role
        var provider: String? = nil
        var assistant: String? = nil
        var participant: String? = nil
        static func participant(_ id: String) -> Caller { Caller(role: .participant, participant: id) }
        static func assistant(_ id: String) -> Caller { Caller(role: .assistant, provider: "ngo-a", assistant: id) }
        static func ngo(_ id: String) -> Caller { Caller(role: .provider, provider: id) }
        static let `operator` = Caller(role: .operator)
    }

    func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, as caller: Caller
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers = try await TestTokens.headers(
            caller.role, provider: caller.provider, assistant: caller.assistant, participant: caller.participant)
        headers[.contentType] = "application/json"
        let response = try await client.execute(
            uri: path, method: method, headers: headers,
            body: try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) } ?? ByteBuffer())
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    func record(_ client: some TestClientProtocol, order: String, by assistant: String, from start: String, to end: String) async throws {
        let body: [String: Any] = ["orderID": order, "start": start, "end": end, "activity": "errands"]
        let queued = try await call(client, .post, "/providers/ngo-a/assistants/\(assistant)/visits", body, as: .assistant(assistant))
        #expect(queued.status == .accepted, "\(queued.json)")
    }

    func visits(_ card: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (card["visits"] as? [[String: Any]] ?? []).map { ($0["entryID"] as! String, $0) })
    }

    func ngoA(_ summary: [String: Any]) -> [String: Any] {
        (summary["providers"] as? [[String: Any]] ?? []).first { $0["providerID"] as? String == "ngo-a" } ?? [:]
    }

    @Test func aContestedVisitStaysCountedUntilTheNGOVoidsItAndTheMonthIsConfirmedWithoutIt() async throws {
        let harness = try await Harness.make("card")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            // u-2's two visits on 1 June, by a-1 and a-2.
            try await record(client, order: "o-2", by: "a-1", from: "2022-06-01T06:00:00Z", to: "2022-06-01T08:00:00Z")
            try await record(client, order: "o-3", by: "a-2", from: "2022-06-01T09:00:00Z", to: "2022-06-01T10:00:00Z")
            _ = try await harness.answers { $0.filter { $0.type == "HoursAccounted" }.count == 2 }

            let card = "/participants/u-2/months/2022-06"
            var read = try await call(client, .get, card, as: .participant("u-2"))
            #expect(read.status == .ok && visits(read.json).count == 2 && read.json["confirmedAt"] == nil, "\(read.json)")
            #expect(try await call(client, .get, card, as: .participant("u-1")).status == .notFound, "another participant's card")

            let contest: [String: Any] = ["providerID": "ngo-a", "entryID": "wizyta-o-3", "reason": "shorter", "comment": "Była 30 minut."]
            let contested = try await call(client, .post, "/participants/u-2/contests", contest, as: .participant("u-2"))
            #expect(contested.status == .created && contested.json["minutes"] as? Int == 60, "\(contested.json)")
            #expect(
                try await call(client, .post, "/participants/u-2/contests", contest, as: .participant("u-2")).json.errorCode == "already-contested")
            var others = contest
            others["entryID"] = "wizyta-o-1"
            #expect(try await call(client, .post, "/participants/u-2/contests", others, as: .participant("u-2")).status == .notFound)
            #expect(try await call(client, .post, "/participants/u-1/contests", contest, as: .participant("u-2")).status == .notFound)

            // The month is confirmed without the contested visit, once.
            #expect(try await call(client, .post, card + "/confirmation", as: .participant("u-2")).status == .created)
            #expect(try await call(client, .post, card + "/confirmation", as: .participant("u-2")).json.errorCode == "month-confirmed")
            #expect(
                try await call(client, .post, "/participants/u-2/months/2022-07/confirmation", as: .participant("u-2")).json.errorCode
                    == "nothing-to-confirm")
            read = try await call(client, .get, card, as: .participant("u-2"))
            #expect(read.json["confirmedAt"] != nil)
            #expect(visits(read.json)["wizyta-o-2"]?["confirmed"] as? Bool == true)
            #expect(visits(read.json)["wizyta-o-3"]?["confirmed"] as? Bool == false)
            #expect((visits(read.json)["wizyta-o-3"]?["contest"] as? [String: Any])?["reason"] as? String == "shorter", "still counted, flagged")
            others["entryID"] = "wizyta-o-2"
            #expect(try await call(client, .post, "/participants/u-2/contests", others, as: .participant("u-2")).json.errorCode == "month-confirmed")

            var summary = try await call(client, .get, "/editions/2022/months/2022-06", as: .operator).json
            #expect(ngoA(summary)["confirmed"] as? [String: Int] == ["visits": 1, "minutes": 120], "\(summary)")
            #expect(ngoA(summary)["contested"] as? [String: Int] == ["visits": 1, "minutes": 60])

            // The NGO sees the contest first, with the participant's words; another NGO sees nothing.
            let list = try await call(client, .get, "/providers/ngo-a/entries?month=2022-06", as: .ngo("ngo-a")).json
            let first = (list["entries"] as? [[String: Any]])?.first
            #expect(first?["entryID"] as? String == "wizyta-o-3", "\(list)")
            #expect((first?["contest"] as? [String: Any])?["comment"] as? String == "Była 30 minut.")
            #expect(try await call(client, .get, "/providers/ngo-a/entries", as: .ngo("ngo-b")).status == .notFound)

            // Only the visit's own assistant or the NGO changes it; the NGO voids it and the contest ends.
            let void: [String: Any] = ["action": "void", "reason": "Uczestnik ma rację: wizyta trwała 30 minut."]
            #expect(try await call(client, .post, "/providers/ngo-a/entries/wizyta-o-3/versions", void, as: .assistant("a-1")).status == .notFound)
            #expect(try await call(client, .post, "/providers/ngo-a/entries/wizyta-o-3/versions", void, as: .ngo("ngo-b")).status == .notFound)
            #expect(try await call(client, .post, "/providers/ngo-a/entries/wizyta-o-3/versions", void, as: .ngo("ngo-a")).status == .accepted)
            let answers = try await harness.answers { $0.contains { $0.type == "ContestSettled" } }
            #expect(answers.contains { $0.type == "TimesheetEntryVoided" && $0.entryID == "wizyta-o-3" && $0.sequence == 2 })
            #expect(answers.filter { $0.type == "VisitContested" || $0.type == "MonthConfirmed" }.count == 2, "\(answers)")
            #expect(answers.filter { ["VisitContested", "MonthConfirmed", "ContestSettled"].contains($0.type) }.allSatisfy { $0.key == "ngo-a" })
            summary = try await call(client, .get, "/editions/2022/months/2022-06", as: .operator).json
            #expect(ngoA(summary)["contested"] as? [String: Int] == ["visits": 0, "minutes": 0], "\(summary)")
            #expect(visits(try await call(client, .get, card, as: .participant("u-2")).json).keys.sorted() == ["wizyta-o-2"])

            // The assistant corrects their own visit: the new version is not covered by the confirmation.
            let shorter: [String: Any] = ["action": "submit", "end": "2022-06-01T07:30:00Z"]
            #expect(try await call(client, .post, "/providers/ngo-a/entries/wizyta-o-2/versions", shorter, as: .assistant("a-1")).status == .accepted)
            let again = try await call(client, .post, "/providers/ngo-a/entries/wizyta-o-2/versions", shorter, as: .assistant("a-1"))
            #expect(again.json.errorCode == "change-pending", "the previous change has no answer yet")
            _ = try await harness.answers { $0.contains { $0.type == "TimesheetEntryCorrected" && $0.entryID == "wizyta-o-2" } }
            let corrected = visits(try await call(client, .get, card, as: .participant("u-2")).json)["wizyta-o-2"]
            #expect(corrected?["minutes"] as? Int == 90 && corrected?["confirmed"] as? Bool == false, "\(corrected ?? [:])")
            summary = try await call(client, .get, "/editions/2022/months/2022-06", as: .operator).json
            #expect(ngoA(summary)["unconfirmed"] as? [String: Int] == ["visits": 1, "minutes": 90], "\(summary)")
        }
    }

    @Test func anOperatorDecidesAContestedVisitStands() async throws {
        let harness = try await Harness.make("card-stands")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            try await record(client, order: "o-1", by: "a-1", from: "2022-06-01T06:00:00Z", to: "2022-06-01T08:00:00Z")
            _ = try await harness.answers { $0.contains { $0.type == "HoursAccounted" } }
            let contest: [String: Any] = ["providerID": "ngo-a", "entryID": "wizyta-o-1", "reason": "absent"]
            #expect(try await call(client, .post, "/participants/u-1/contests", contest, as: .participant("u-1")).status == .created)

            let settlement = "/providers/ngo-a/entries/wizyta-o-1/contest/settlement"
            #expect(try await call(client, .post, settlement, as: .ngo("ngo-a")).status == .forbidden, "the NGO corrects or voids instead")
            let settled = try await call(client, .post, settlement, as: .operator)
            #expect(settled.status == .ok && settled.json["outcome"] as? String == "stands", "\(settled.json)")
            #expect(try await call(client, .post, settlement, as: .operator).status == .notFound, "no open contest left")
            _ = try await harness.answers { $0.contains { $0.type == "ContestSettled" } }
            let summary = try await call(client, .get, "/editions/2022/months/2022-06", as: .operator).json
            #expect(ngoA(summary)["confirmed"] as? [String: Int] == ["visits": 1, "minutes": 120], "\(summary)")
        }
    }
}

extension [String: Any] {
    /// The `error.code` of an API error body.
    fileprivate var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
}
