import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `POST /admin/rebuild`: the live service rebuilds its read models from the start
/// of the topics into a fresh database with a new consumer group and reports
/// whether every edition's exports came out byte for byte the same. The live
/// database and group are left as they were.
@Suite("Rebuilding from the topics")
struct RebuildTests {
    @Test("an operator rebuilds into a fresh database: every event applied once, identical exports, the live database untouched")
    func rebuild() async throws {
        let harness = try ReportingHarness.make("rebuild")
        let token = String(try await TestTokens.bearer(.operator).dropFirst("Bearer ".count))
        let service = try await ReportingService(settings: try await harness.settings())
        let host = service.host
        let events = Scenario.all
        try await service.application().test(.live) { client in
            try await harness.publish(events)
            try await harness.waitUntilCaughtUp(group: host.consumerGroup)
            let live = try await ReportingHarness.downloads(client)

            // A rebuild answers when it is done. Under a loaded test run two rebuilds (a new
            // consumer group each) can outlast the test client's fixed 20 s, as an operator's
            // curl would not: the requests go through URLSession with a timeout of their own.
            let port = try #require(client.port)
            @Sendable func post(_ body: String?, token: String?) async throws -> (status: HTTPResponse.Status, body: Data) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/rebuild")!)
                request.httpMethod = "POST"
                request.timeoutInterval = 300
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
                request.httpBody = body.map { Data($0.utf8) }
                let (data, response) = try await URLSession.shared.data(for: request)
                return (HTTPResponse.Status(code: try #require(response as? HTTPURLResponse).statusCode), data)
            }

            // Refusals first: no token, a wrong token, the live database, a name that is not an identifier.
            #expect(try await post(#"{"database": "reporting_x"}"#, token: nil).status == .unauthorized)
            #expect(try await post(#"{"database": "reporting_x"}"#, token: "wrong").status == .unauthorized)
            let liveName = host.pool.configuration.database
            #expect(try await post(#"{"database": "\#(liveName)"}"#, token: token).status == .unprocessableContent)
            #expect(try await post(#"{"database": "x; DROP DATABASE postgres"}"#, token: token).status == .unprocessableContent)

            let target = "reporting_rebuilt_\(UUID().uuidString.prefix(8).lowercased())"
            let response = try await post(#"{"database": "\#(target)"}"#, token: token)
            #expect(response.status == .ok)
            let outcome = try JSONDecoder().decode(Rebuilder.Outcome.self, from: response.body)
            #expect(outcome.database == target)
            #expect(outcome.consumerGroup == host.consumerGroup + "-rebuild-" + target)
            #expect(outcome.eventsApplied == Int64(events.uniqueIDs), "every event once, the redelivered one too")
            #expect(outcome.identical)
            #expect(outcome.editions.map(\.editionID) == [Scenario.edition.rawValue])
            #expect(outcome.editions.allSatisfy { $0.identical && $0.differing.isEmpty })

            // Checked independently of the rebuilder's own comparison: read the rebuilt database.
            var configuration = host.pool.configuration
            configuration.database = target
            let rebuilt = PostgresPool(configuration: configuration, logger: Logger(label: "rebuilt"))
            let exports = try await ReportingHarness.exports(rebuilt)
            let applied = try await rebuilt.withConnection { try await Rebuilder.inboxCount($0, consumer: outcome.consumerGroup) }
            await rebuilt.close()
            #expect(applied == Int64(events.uniqueIDs))
            ReplayTests.expectSame(exports, live, "the rebuilt database vs the live service")

            // The live side is untouched: same inbox, same exports.
            #expect(try await ReportingHarness.inboxCount(host) == Int64(events.uniqueIDs))
            #expect(try await ReportingHarness.downloads(client) == live)

            // Without a body (what `asysta-admin reporting rebuild` sends): a dated database of its own.
            let dated = try await post(nil, token: token)
            #expect(dated.status == .ok)
            let second = try JSONDecoder().decode(Rebuilder.Outcome.self, from: dated.body)
            #expect(second.database.hasPrefix(liveName + "_rebuild_") && second.database != target)
            #expect(second.identical && second.eventsApplied == Int64(events.uniqueIDs))
        }
    }

    @Test("the watch counts the inbox again after half of what the rest should take at the rate seen, between 0.2 and 5 s")
    func catchUpPace() {
        var pace = Rebuilder.CatchUpPace()
        let start = ContinuousClock.now
        #expect(pace.next(counted: 0, target: 1_000_000, at: start) == .milliseconds(200), "no rate seen yet")
        #expect(pace.next(counted: 0, target: 1_000_000, at: start + .seconds(1)) == .milliseconds(200), "nothing applied yet")
        #expect(pace.next(counted: 20_000, target: 1_000_000, at: start + .seconds(2)) == .seconds(5), "49 s to go: at most 5 s")
        #expect(pace.next(counted: 120_000, target: 200_000, at: start + .seconds(7)) == .seconds(2), "4 s to go")
        #expect(pace.next(counted: 199_000, target: 200_000, at: start + .seconds(9)) == .milliseconds(200), "0.03 s to go: at least 0.2 s")
        #expect(pace.next(counted: 200_000, target: 200_000, at: start + .seconds(10)) == .milliseconds(200), "caught up")
    }

    @Test(
        "the default rebuild database is a valid identifier of at most 63 characters",
        arguments: [
            ("reporting", "reporting_rebuild_20250110093005"),
            ("Asysta-Reporting", "asysta_reporting_rebuild_20250110093005"),
            ("9db", "r9db_rebuild_20250110093005"),
            (String(repeating: "a", count: 70), String(repeating: "a", count: 63 - 23) + "_rebuild_20250110093005"),
        ])
    func defaultDatabase(live: String, expected: String) throws {
        let time = try Date("2025-01-10T09:30:05Z", strategy: .iso8601)
        let name = AdminRoutes<ServiceRequestContext>.defaultDatabase(live: live, at: time)
        #expect(name == expected)
        #expect(name.count <= 63)
    }
}
