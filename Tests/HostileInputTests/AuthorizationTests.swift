import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// The authentication contract under attack: no token, an expired one, a forged
/// one, an NGO reading another NGO's order and entries, an auditor writing, a
/// coordinator on operator routes. Each is refused with the contract's answer,
/// while the same request by an entitled caller succeeds.
@Suite("Hostile callers", .serialized, .timeLimit(.minutes(5)))
struct AuthorizationTests {
    struct Case: Sendable {
        var kind: String
        var service: HostileSuite.Service
        var method: HTTPRequest.Method
        var path: String
        var body: [UInt8]? = nil
        var refused: Credentials
        /// The same request by a caller allowed to make it.
        var entitled: Credentials
        var status: HTTPResponse.Status
        var code: String
    }

    static func cases(_ world: World, otherNGOsEntry: String) -> [Case] {
        let ngo = Credentials.role(.provider, provider: World.ngo.rawValue)
        let order = HTTPInputTests.json([
            "participantID": world.participant.rawValue, "date": "2022-06-20", "start": "09:00", "end": "10:00",
            "activity": "mobility", "place": "ul. Strzegomska 6, Wrocław",
        ])
        return [
            Case(
                kind: "no token", service: .ordering, method: .get, path: "/orders/\(world.mainOrder)", refused: .anonymous, entitled: .coordinator,
                status: .unauthorized, code: "unauthenticated"),
            Case(
                kind: "expired token", service: .intake, method: .get, path: "/applications/none", refused: .expired(.operator), entitled: .operator,
                status: .unauthorized, code: "unauthenticated"),
            Case(
                kind: "token with a bad signature", service: .reporting, method: .get, path: "/editions/2022/report", refused: .forged(.operator),
                entitled: .operator,
                status: .unauthorized, code: "unauthenticated"),
            Case(
                kind: "token with an unknown role", service: .eligibility, method: .get, path: "/decisions",
                refused: .claims(role: "janitor", provider: nil), entitled: .operator,
                status: .unauthorized, code: "unauthenticated"),
            Case(
                kind: "provider token naming no provider", service: .timesheet, method: .get, path: "/providers/\(World.ngo)/entries/H-none",
                refused: .claims(role: "provider", provider: nil), entitled: ngo, status: .unauthorized, code: "unauthenticated"),
            Case(
                kind: "auditor placing an order", service: .ordering, method: .post, path: "/orders", body: order, refused: .role(.auditor),
                entitled: .coordinator,
                status: .forbidden, code: "forbidden"),
            Case(
                kind: "coordinator issuing an NGO key", service: .timesheet, method: .post, path: "/providers/\(World.otherNGO)/keys",
                refused: .coordinator, entitled: .operator,
                status: .forbidden, code: "forbidden"),
            Case(
                kind: "coordinator closing a month", service: .timesheet, method: .post, path: "/editions/2022/months/2022-05/close",
                refused: .coordinator, entitled: .operator,
                status: .forbidden, code: "forbidden"),
            Case(
                kind: "an NGO reading another NGO's entry", service: .timesheet, method: .get,
                path: "/providers/\(World.otherNGO)/entries/\(otherNGOsEntry)",
                refused: ngo, entitled: .role(.provider, provider: World.otherNGO.rawValue), status: .notFound, code: "not-found"),
        ]
    }

    /// No service trusts a key it was not given, an HS256 token (the shared secret
    /// every service once held, which let any of them mint an operator's token) or an
    /// expired one; the same request with the suite's key is answered.
    @Test("every service refuses a token of a key it does not trust, an HS256 token and an expired token")
    func untrustedTokens() async throws {
        try await HostileSuite.run { suite in
            let routes: [(HostileSuite.Service, String)] = [
                (.intake, "/applications/none"), (.eligibility, "/decisions"), (.ordering, "/providers"),
                (.timesheet, "/providers/\(World.ngo)/entries/none"), (.reporting, "/editions/none/report"),
            ]
            for (service, path) in routes {
                for refused in [Credentials.untrusted(.operator), .hs256(.operator), .expired(.operator), .forged(.operator)] {
                    let answer = try await suite.client(service).call(.get, path, as: refused)
                    #expect(answer.status == .unauthorized, "\(service) \(refused): \(answer.status) \(answer.body)")
                    #expect(answer.code == "unauthenticated" && answer.headers[.wwwAuthenticate] == "Bearer", "\(service) \(refused)")
                }
                let entitled = try await suite.client(service).call(.get, path, as: .operator)
                #expect(entitled.status != .unauthorized, "\(service): the suite's own token got \(entitled.status)")
            }
        }
    }

    @Test("each hostile caller gets the contract's answer; the entitled caller gets the data")
    func hostileCallers() async throws {
        try await HostileSuite.run { suite in
            let world = try await World.prepare(on: suite)
            // The other NGO reports one entry, so there is something of theirs to ask for.
            let theirKey = try await suite.timesheet.call(.post, "/providers/\(World.otherNGO)/keys", as: .operator)
            let key = SigningKey(
                keyID: try #require(theirKey.body["keyId"] as? String), providerID: World.otherNGO,
                secret: Array(try #require((theirKey.body["secret"] as? String).flatMap { Data(base64Encoded: $0) })), expiresAt: nil)
            let ngo = NGORecords(topic: suite.topic(.timesheetSubmissions), world: world)
            var entry = ngo.entry("OS-1", order: world.otherNGOsOrder, from: "10:00", to: "11:00", day: "2022-06-07")
            entry.providerID = World.otherNGO
            entry.assistantID = world.otherAssistant
            try await suite.send([try ngo.signed(entry, with: key)])
            _ = try await eventually("the other NGO's entry is accepted") {
                try await suite.results.waitFor(timeout: .seconds(1)) {
                    $0.payload["entryID"] as? String == "OS-1" && $0.eventType == HoursAccounted.eventType.description
                }
            }

            for test in Self.cases(world, otherNGOsEntry: "OS-1") {
                let client = suite.client(test.service)
                let refused = try await client.call(test.method, test.path, as: test.refused, body: test.body)
                #expect(refused.status == test.status, "\(test.kind): \(refused.status) \(refused.body)")
                #expect(refused.code == test.code, "\(test.kind): \(refused.body)")
                if test.status == .unauthorized { #expect(refused.headers[.wwwAuthenticate] == "Bearer", "\(test.kind)") }
                let entitled = try await client.call(test.method, test.path, as: test.entitled, body: test.body)
                #expect(entitled.status != test.status, "\(test.kind): the entitled caller got \(entitled.status) \(entitled.body)")
            }

            // Another NGO's order is indistinguishable from one that does not exist.
            let asThem = Credentials.role(.provider, provider: World.ngo.rawValue)
            let theirs = try await suite.ordering.call(.get, "/orders/\(world.otherNGOsOrder)", as: asThem)
            let missing = try await suite.ordering.call(.get, "/orders/no-such-order", as: asThem)
            #expect(theirs.status == .notFound, "\(theirs.body)")
            #expect(theirs.code == missing.code)
            #expect(try await suite.ordering.call(.get, "/orders/\(world.mainOrder)", as: asThem).status == .ok, "an NGO reads its own order")
        }
    }
}
