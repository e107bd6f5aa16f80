import Domain
import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// What an operator sees when a service's relay meets an event the broker will
/// never take: the service keeps running, the event is parked with its reason,
/// counted, listed by `asysta-admin outbox parked list` and put back by `replay`.
@Suite("Parked outbox events", .timeLimit(.minutes(3)))
struct ParkedOutboxTests {
    @Test("a too-large event is parked, counted and listed by asysta-admin; a replay puts it back and, still too large, it is parked again")
    func listedAndReplayedWithTheAdminTool() async throws {
        let namespace = TestSettings.uniqueNamespace("parked")
        let timesheet = try await ServiceProcess(name: "timesheet", namespace: namespace)
        try await withStarted([timesheet]) {
            // An answer no broker takes (2 MB, over librdkafka's message.max.bytes), as if timesheet had written it.
            let eventID = UUID().uuidString.lowercased()
            let pool = PostgresPool(configuration: timesheet.database, logger: Logger(label: "parked"))
            try await pool.withConnection { connection in
                try await connection.execute(
                    """
                    INSERT INTO outbox (event_id, topic, partition_key, event_type, payload)
                    VALUES (\(eventID), \(namespace + "." + Topic.timesheetResults.name), 'ngo-a', 'asysta.timesheet.HoursAccounted.v1', \([UInt8](repeating: 0x20, count: 2_000_000)))
                    """)
            }
            await pool.close()

            let token = String(try await TestTokens.bearer(.operator).dropFirst("Bearer ".count))
            func admin(_ arguments: String...) async throws -> (status: Int32, output: String) {
                try await run(
                    ServiceProcess.binDirectory.appendingPathComponent("asysta-admin").path,
                    ["outbox", "parked"] + arguments + ["timesheet", "--url", timesheet.baseURL, "--token", token])
            }
            let listed = try await eventually { () -> String? in
                let (status, output) = try await admin("list")
                return status == 0 && output.contains(eventID) ? output : nil
            }
            #expect(listed.contains("2000000 bytes") && listed.lowercased().contains("too large"), "\(listed)")
            #expect(await timesheet.metric("asysta_outbox_parked_total") == 1)
            #expect(await timesheet.get("/admin/outbox/parked", as: .auditor).status == 403)
            #expect(await timesheet.get("/health/ready").status == 200, "a parked event does not make the service unready")

            let replayed = try await admin("replay")
            #expect(replayed.status == 0 && replayed.output.contains(#""replayed":1"#), "\(replayed.output)")
            _ = try await eventually { await timesheet.metric("asysta_outbox_parked_total") == 2 ? true : nil }
            #expect(try await admin("list").output.contains(eventID))
        }
    }
}
