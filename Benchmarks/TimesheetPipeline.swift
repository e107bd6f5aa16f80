import Foundation
import Kafka
import Logging
import TestSupport

/// The timesheet service run as a process (once it is on main).
struct TimesheetPipeline {
    static func prepare(fixture: inout EntryFixture, namespace: String, kafka: KafkaConfiguration, report: BenchReport, logger: Logger) async throws -> TimesheetPipeline? {
        report.note("timesheet pipeline not measured: the timesheet service is not on main yet")
        return nil
    }

    func measureBacklog(fixture: EntryFixture, entries: Int, report: BenchReport) async throws -> Double { 0 }
    func measureLatency(fixture: EntryFixture, from: Int, report: BenchReport) async throws {}
    func stop(report: BenchReport) async {}
}
