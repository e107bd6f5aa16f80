import Domain
import Foundation
import TestSupport
import Testing

/// Replicas of one service share its database and consumer group; the broker
/// spreads the partitions over them.
@Suite("Scale-out", .timeLimit(.minutes(10)))
struct ScaleOutTests {
    static let entries = 20_000

    @Test(
        "Three timesheet and two reporting replicas: each entry is answered once, hours agree everywhere, no outbox keeps an event, and every replica did work"
    )
    func replicasShareTheWork() async throws {
        let namespace = TestSettings.uniqueNamespace("scale")
        var stream = try NGOStream(namespace: namespace, entries: Self.entries)
        let first = try await ServiceProcess(name: "timesheet", namespace: namespace)
        var timesheets = [first]
        for _ in 1..<3 { timesheets.append(try await ServiceProcess(name: "timesheet", namespace: namespace, database: first.database)) }
        let firstReporting = try await ServiceProcess(name: "reporting", namespace: namespace)
        let reportings = [firstReporting, try await ServiceProcess(name: "reporting", namespace: namespace, database: firstReporting.database)]
        let ordering = try await ServiceProcess(name: "ordering", namespace: namespace)
        try await withStarted(timesheets + reportings + [ordering]) {
            try await stream.publishReferenceData()
            try await stream.waitForReferenceData(in: first)
            try await stream.registerKeys(with: timesheets[1])
            try await stream.streamEntries(Self.entries, over: 15)
            try await stream.expectOneAnswerPerEntryAndAgreement(Self.entries, timesheet: timesheets, ordering: ordering, reporting: reportings)

            for (index, replica) in timesheets.enumerated() {
                let checked = await replica.metric(
                    "asysta_events_consumed_total", labels: ["consumer": "\(namespace)-timesheet", "outcome": "applied"])
                print("scale-out: timesheet replica \(index + 1) checked \(Int(checked)) entries")
                #expect(checked > 0, "timesheet replica \(index + 1) checked no entry")
            }
            for (index, replica) in reportings.enumerated() {
                let applied = await replica.metric("asysta_events_consumed_total", labels: ["outcome": "applied"])
                print("scale-out: reporting replica \(index + 1) applied \(Int(applied)) events")
                #expect(applied > 0, "reporting replica \(index + 1) applied no event")
            }
        }
    }
}
