import Foundation
import Kafka
import Logging
import TestSupport

/// The broker alone at a steady phase's rate: the same signed records, on the same
/// schedule, to a topic of their own and read back by a consumer, with no service
/// between. An entry's answer crosses the broker twice (the entry in, the answer
/// out), so this is the floor under the pipeline's latency on this machine. The
/// median of each second shows whether the broker's own cost grows as the phase
/// adds record batches to its partitions.
enum BrokerFloor {
    static func run(
        _ phase: TimesheetPipeline.SteadyPhase, fixture: EntryFixture, from first: Int, namespace: String, kafka: KafkaConfiguration,
        report: BenchReport, logger: Logger
    ) async throws {
        let name = "broker alone (steady \(phase.rate)/s)"
        let topic = namespace + ".broker-floor-\(phase.rate)"
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: topic, partitions: 6)], configuration: kafka)
        let records = try fixture.signedRecords(first..<(first + phase.entries), topic: topic)
        let run = try await phase.run(records, readingFrom: topic, kafka: kafka, logger: logger) {
            Position(partition: $0.partition, offset: $0.offset)
        }
        let latencies = run.delivered.enumerated().compactMap { k, report in
            run.arrived[Position(partition: report.partition, offset: report.offset)].map { (k, ($0.read - phase.due(k, from: run.start)) * 1000) }
        }
        guard latencies.count == phase.entries else {
            throw ServiceProcess.Failure("\(name): \(latencies.count) of \(phase.entries) records read")
        }
        report.note("\(name): median of each second, ms: \(phase.eachSecond(latencies) { percentile($0.sorted(), 0.5) })")
        report.note("\(name): slowest of each second, ms: \(phase.eachSecond(latencies) { $0.max()! })")
        report.latencies(name, latencies.map(\.1))
    }

    private struct Position: Hashable {
        var partition: Int32
        var offset: Int64
    }
}
