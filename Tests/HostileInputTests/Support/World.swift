import Domain
import Foundation
import Testing

@testable import Timesheet

/// What the hostile cases are sent against, set up through the services' own
/// APIs and events: two granted participants (one with only two hours), an
/// assistant at each of two NGOs, assigned orders, a cancelled one, and the
/// first NGO's signing keys (the first replaced by the second).
struct World: Sendable {
    static let ngo = ProviderID("fundacja-promyk-slonca")
    static let otherNGO = ProviderID("stowarzyszenie-ostoja")

    var participant: ParticipantID
    /// Granted two hours, all of them ordered by `tightOrder`.
    var tightParticipant: ParticipantID
    var assistant: AssistantID
    var otherAssistant: AssistantID
    /// 2022-06-06 08:00–20:00 for `participant`, assigned to `assistant`: the valid entries' order.
    var mainOrder: OrderID
    /// 2022-06-07 10:00–12:00, assigned to the other NGO.
    var otherNGOsOrder: OrderID
    /// 2022-06-08 10:00–12:00, assigned to `assistant` and then cancelled.
    var cancelledOrder: OrderID
    /// 2022-06-09 10:00–12:00 for `tightParticipant`, assigned to `assistant`.
    var tightOrder: OrderID
    var currentKey: SigningKey
    /// Replaced by `currentKey`; with no grace period it no longer signs.
    var replacedKey: SigningKey

    static func prepare(on suite: HostileSuite) async throws -> World {
        let rules = try JSONDecoder().decode(
            EditionRules.self, from: Data(contentsOf: HostileSuite.root.appendingPathComponent("deploy/editions/2022.json")))
        let participant = ParticipantID("p-\(UUID().uuidString.prefix(8).lowercased())")
        let tight = ParticipantID("p-\(UUID().uuidString.prefix(8).lowercased())")
        for (who, hours) in [(participant, 100), (tight, 2)] {
            try await suite.publish(
                SupportGranted(
                    grantID: GrantID("g-" + who.rawValue), participantID: who, applicationID: ApplicationID("a-" + who.rawValue),
                    editionID: rules.id, group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false),
                    hours: hours, period: rules.period, grantedOn: rules.period.start), source: "/asysta/eligibility")
            _ = try await eventually("ordering knows the grant of \(who)") {
                try await suite.ordering.call(.get, "/participants/\(who)/allowance", as: .coordinator).status == .ok ? true : nil
            }
        }

        let slots = (1...7).map { ["weekday": $0, "from": "00:00", "to": "24:00"] as [String: Any] }
        func registerAssistant(of provider: ProviderID) async throws -> AssistantID {
            let answer = try await eventually("ordering knows provider \(provider)") { () -> Answer? in
                let answer = try await suite.ordering.call(
                    .post, "/providers/\(provider)/assistants", as: .coordinator,
                    json: ["skills": ["wheelchair"], "availability": slots, "excludedParticipants": [String]()])
                return answer.status == .created ? answer : nil
            }
            return AssistantID(try #require(answer.body["assistantID"] as? String))
        }
        let assistant = try await registerAssistant(of: ngo)
        let otherAssistant = try await registerAssistant(of: otherNGO)

        func order(
            _ who: ParticipantID, _ date: String, _ start: String, _ end: String, to provider: ProviderID, _ assistantID: AssistantID
        ) async throws -> OrderID {
            let placed = try await suite.ordering.call(
                .post, "/orders", as: .coordinator,
                json: [
                    "participantID": who.rawValue, "date": date, "start": start, "end": end, "activity": "mobility",
                    "place": "ul. Strzegomska 6, Wrocław",
                ])
            #expect(placed.status == .created, "\(placed.body)")
            let id = try #require(placed.body["orderID"] as? String)
            let assigned = try await suite.ordering.call(
                .post, "/orders/\(id)/assignment", as: .coordinator,
                json: ["providerID": provider.rawValue, "assistantID": assistantID.rawValue])
            #expect(assigned.status == .ok, "\(assigned.body)")
            return OrderID(id)
        }
        let mainOrder = try await order(participant, "2022-06-06", "08:00", "20:00", to: ngo, assistant)
        let otherNGOsOrder = try await order(participant, "2022-06-07", "10:00", "12:00", to: otherNGO, otherAssistant)
        let cancelledOrder = try await order(participant, "2022-06-08", "10:00", "12:00", to: ngo, assistant)
        let tightOrder = try await order(tight, "2022-06-09", "10:00", "12:00", to: ngo, assistant)
        let cancelled = try await suite.ordering.call(
            .post, "/orders/\(cancelledOrder)/cancellation", as: .coordinator, json: ["cancelledBy": "coordinator"])
        #expect(cancelled.status == .ok, "\(cancelled.body)")

        // Timesheet learns the assignments and the cancellation from ordering's events.
        for id in [mainOrder, otherNGOsOrder, tightOrder] {
            _ = try await eventually("timesheet knows order \(id) is assigned") {
                try await suite.timesheetHolds("SELECT 1 FROM orders WHERE order_id = \(id.rawValue) AND assistant_id IS NOT NULL") ? true : nil
            }
        }
        _ = try await eventually("timesheet knows order \(cancelledOrder) is cancelled") {
            try await suite.timesheetHolds("SELECT 1 FROM orders WHERE order_id = \(cancelledOrder.rawValue) AND cancelled_at IS NOT NULL")
                ? true : nil
        }

        _ = try await eventually("reporting knows edition \(rules.id)") {
            try await suite.reporting.call(.get, "/editions/\(rules.id)/report", as: .operator).status == .ok ? true : nil
        }

        let replacedKey = try await issueKey(on: suite)
        let currentKey = try await issueKey(on: suite)
        return World(
            participant: participant, tightParticipant: tight, assistant: assistant, otherAssistant: otherAssistant,
            mainOrder: mainOrder, otherNGOsOrder: otherNGOsOrder, cancelledOrder: cancelledOrder, tightOrder: tightOrder,
            currentKey: currentKey, replacedKey: replacedKey)
    }

    private static func issueKey(on suite: HostileSuite) async throws -> SigningKey {
        let key = try await suite.timesheet.call(.post, "/providers/\(ngo)/keys", as: .operator)
        #expect(key.status == .created, "\(key.body)")
        let secret = try #require((key.body["secret"] as? String).flatMap { Data(base64Encoded: $0) })
        return SigningKey(keyID: try #require(key.body["keyId"] as? String), providerID: ngo, secret: Array(secret), expiresAt: nil)
    }
}
