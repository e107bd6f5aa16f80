import Domain
import Foundation
import HummingbirdTesting
import Kafka
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

/// Reporting in-process against the real broker and PostgreSQL: the scenario's
/// events are published on the topics the other services write, consumed by the
/// real loop (inbox included), and exported over HTTP.
@Suite("Reporting over the broker")
struct ReplayTests {
    @Test(
        "the scenario published on the topics, one event delivered twice, gives the hand-computed report and a frozen May; a replay from the topics into a fresh database with a new group exports identical bytes"
    )
    func consumeThenReplay() async throws {
        let harness = try ReportingHarness.make("replay")
        let events = Scenario.all
        #expect(events.count == events.uniqueIDs + 1, "the scenario delivers exactly one event twice")

        // First instance: the service's own group, events published while it runs.
        let first = try await ReportingService(settings: try await harness.settings())
        let firstHost = first.host
        let (live, lastModified) = try await first.application().test(.live) { client in
            try await harness.publish(events)
            try await harness.waitUntilCaughtUp(group: firstHost.consumerGroup)
            #expect(try await ReportingHarness.inboxCount(firstHost) == Int64(events.uniqueIDs), "the redelivered event is applied once")

            ScenarioExpectations.checkWholeEdition(try await ReportingHarness.report(client))
            let downloads = try await ReportingHarness.downloads(client)
            // The direct path is checked figure by figure in ReadModelScenarioTests.
            let direct = try await ReportingHarness.directExports(events)
            Self.expectSame(downloads, direct, "over the broker vs the direct path")
            // May closed before the late changes: its export is what it was at the close.
            let atClose = try await ReportingHarness.directExports(Scenario.beforeClose).filter { $0.key.hasPrefix("2022-05.") }
            Self.expectSame(downloads.filter { $0.key.hasPrefix("2022-05.") }, atClose, "May after the late changes vs May when it closed")
            let head = try await client.execute(
                uri: "/editions/\(Scenario.edition)/export.csv", method: .get, headers: try await TestTokens.headers(.auditor))
            return (downloads, head.headers[.lastModified])
        }
        #expect(lastModified == HTTPDate.format(Scenario.all.map(\.time).max()!), "Last-Modified is the newest applied event's time")

        // Replay: a fresh database and a new consumer group read the same topics from the beginning.
        let second = try await ReportingService(settings: try await harness.settings(groupPrefix: harness.namespace + "-replay"))
        #expect(second.host.consumerGroup != first.host.consumerGroup)
        #expect(second.host.pool.configuration.database != first.host.pool.configuration.database)
        let secondHost = second.host
        try await second.application().test(.live) { client in
            try await harness.waitUntilCaughtUp(group: secondHost.consumerGroup)
            #expect(try await ReportingHarness.inboxCount(secondHost) == Int64(events.uniqueIDs))
            Self.expectSame(try await ReportingHarness.downloads(client), live, "replayed vs live")
            let head = try await client.execute(
                uri: "/editions/\(Scenario.edition)/export.xlsx", method: .get, headers: try await TestTokens.headers(.auditor))
            #expect(head.headers[.lastModified] == lastModified)
        }
    }

    /// Every range and form, byte for byte, named when it differs.
    static func expectSame(_ a: [String: [UInt8]], _ b: [String: [UInt8]], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.keys.sorted() == b.keys.sorted(), "\(what): other exports", sourceLocation: sourceLocation)
        #expect(a.values.allSatisfy { $0.count > 100 }, "\(what): an export is nearly empty", sourceLocation: sourceLocation)
        for key in a.keys.sorted() where a[key] != b[key] {
            Issue.record("\(what): \(key) differs", sourceLocation: sourceLocation)
        }
    }
}
