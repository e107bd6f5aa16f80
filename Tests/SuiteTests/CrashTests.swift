import Domain
import Foundation
import Postgres
import TestSupport
import Testing

/// Timesheet, ordering and reporting as separate processes on a PostgreSQL
/// cluster of their own (it is restarted), while NGOs stream signed entries.
@Suite("Crashes", .timeLimit(.minutes(10)))
struct CrashTests {
    static let entries = 50_000

    @Test(
        "SIGKILL timesheet and reporting three times each and restart PostgreSQL while 50 000 entries stream in: each entry is answered once, hours agree everywhere, no outbox keeps an event"
    )
    func killsAndDatabaseRestartLoseNothing() async throws {
        let postgres = try await TestPostgres.startPrivate()
        let namespace = TestSettings.uniqueNamespace("crash")
        var stream = try NGOStream(namespace: namespace, entries: Self.entries)
        let timesheet = try await ServiceProcess(name: "timesheet", namespace: namespace, postgres: postgres)
        let ordering = try await ServiceProcess(name: "ordering", namespace: namespace, postgres: postgres)
        let reporting = try await ServiceProcess(name: "reporting", namespace: namespace, postgres: postgres)
        let services = [timesheet, ordering, reporting]
        try await withStarted(services) {
            try await stream.publishReferenceData()
            try await stream.waitForReferenceData(in: timesheet)
            try await stream.registerKeys(with: timesheet)

            let seconds = 40.0
            let streaming = Task { [stream] in try await stream.streamEntries(Self.entries, over: seconds) }
            var moments: [(at: Double, what: String)] = (0..<3).flatMap { _ in
                [(Double.random(in: 2..<seconds), "timesheet"), (Double.random(in: 2..<seconds), "reporting")]
            }
            moments.append((Double.random(in: 5..<seconds - 5), "postgres"))
            moments.sort { $0.at < $1.at }
            let began = ContinuousClock.now
            for moment in moments {
                try await Task.sleep(until: began + .milliseconds(Int(moment.at * 1000)))
                print("crash test: \(moment.what) at \(String(format: "%.1f", moment.at)) s")
                switch moment.what {
                case "postgres": try await postgres.restart()
                case "timesheet": try await timesheet.restart(after: SIGKILL)
                default: try await reporting.restart(after: SIGKILL)
                }
            }
            try await streaming.value
            try await stream.expectOneAnswerPerEntryAndAgreement(Self.entries, timesheet: [timesheet], ordering: ordering, reporting: [reporting])
        }
        await postgres.stop()
    }
}
