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
        let topic = namespace + ".broker-floor"
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: topic, partitions: 6)], configuration: kafka)
        let watcher = try TopicWatcher(kafka: kafka, topic: topic, logger: logger)
        let reading = Task {
            try await watcher.arrivals(expected: phase.entries, timeout: Double(phase.seconds) + 120) {
                Position(partition: $0.partition, offset: $0.offset)
            }
        }
        try await Task.sleep(for: .seconds(4))  // the group join, so nothing is read late
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let serving = Task { try await producer.run() }
        let records = try fixture.signedRecords(first..<(first + phase.entries), topic: topic)
        let start = now() + 0.5
        let delivered = try await phase.send(records, through: producer, from: start)
        let arrived = try await reading.value
        await watcher.stop()
        serving.cancel()
        _ = await serving.result

        var latencies: [Double] = []
        var bySecond = [[Double]](repeating: [], count: phase.seconds)
        for (k, report) in delivered.enumerated() {
            guard let read = arrived[Position(partition: report.partition, offset: report.offset)]?.read else { continue }
            let due = phase.due(k, from: start)
            latencies.append((read - due) * 1000)
            bySecond[min(phase.seconds - 1, Int(due - start))].append((read - due) * 1000)
        }
        guard latencies.count == phase.entries else {
            throw ServiceProcess.Failure("\(name): \(latencies.count) of \(phase.entries) records read")
        }
        latencies.sort()
        report.note("\(name): median of each second, ms: \(bySecond.map { String(Int(percentile($0.sorted(), 0.5))) }.joined(separator: " "))")
        report.record(name, "p50 latency", percentile(latencies, 0.50), "ms")
        report.record(name, "p99 latency", percentile(latencies, 0.99), "ms")
        report.distribution(name, latencies)
    }

    private struct Position: Hashable {
        var partition: Int32
        var offset: Int64
    }
}
