import Foundation
import Kafka
import Logging

/// Reads a topic in a consumer group of its own and notes when each record arrived:
/// what the latency phases time against.
final class TopicWatcher: @unchecked Sendable {
    private let consumer: KafkaConsumer
    private let serving: Task<Void, any Error>

    init(kafka: KafkaConfiguration, topic: String, logger: Logger, fromEnd: Bool = false) throws {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: "bench-watch-\(UUID().uuidString.prefix(8))", topics: [topic])
        configuration.autoOffsetReset = fromEnd ? .latest : .earliest
        configuration.maxBatchSize = 2_000
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let consumer = consumer
        serving = Task { try await consumer.run() }
    }

    /// When each record that `key` names was first read, and when it was produced (its
    /// Kafka timestamp, on `now()`'s clock: what splits a latency into hops), until
    /// `expected` keys are seen or `timeout` seconds have passed. A record `key` names
    /// nil is not counted (a group starting at the end may still see a little of what
    /// came before).
    func arrivals<Key: Hashable>(
        expected: Int, timeout: Double, key: (KafkaMessage) -> Key?
    ) async throws -> [Key: (read: Double, produced: Double?)] {
        var seen: [Key: (read: Double, produced: Double?)] = [:]
        let deadline = now() + timeout
        // Kafka's timestamps are wall-clock; this maps them onto `now()`'s clock.
        let wallToMonotonic = now() - Date().timeIntervalSince1970
        for try await batch in consumer.batches {
            let arrived = now()
            for message in batch {
                if let key = key(message), seen[key] == nil {
                    seen[key] = (arrived, message.timestamp.map { $0.timeIntervalSince1970 + wallToMonotonic })
                }
            }
            if seen.count >= expected || now() > deadline { break }
        }
        return seen
    }

    func stop() async {
        serving.cancel()
        _ = await serving.result
    }
}
