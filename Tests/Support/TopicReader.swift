import Foundation
import Kafka
import Logging

/// Reads `topic` from the start with a throwaway group until `done` holds for what
/// arrived; throws `TopicReadTimedOut` when it does not within `timeout`.
public func readTopic(
    _ topic: String, kafka: KafkaConfiguration, logger: Logger, timeout: Duration = .seconds(30),
    until done: @escaping @Sendable ([KafkaMessage]) -> Bool
) async throws -> [KafkaMessage] {
    let reader = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "reader-\(UUID())", topics: [topic]), logger: logger)
    return try await withThrowingTaskGroup(of: [KafkaMessage]?.self) { group in
        group.addTask {
            try await reader.run()
            return nil
        }
        group.addTask {
            var received: [KafkaMessage] = []
            for try await batch in reader.batches {
                received += batch
                if done(received) { return received }
            }
            return received
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TopicReadTimedOut(topic: topic, timeout: timeout)
        }
        var result: [KafkaMessage] = []
        while let next = try await group.next() {
            if let messages = next {
                result = messages
                break
            }
        }
        group.cancelAll()
        return result
    }
}

public struct TopicReadTimedOut: Error, CustomStringConvertible {
    public var topic: String
    public var timeout: Duration
    public var description: String { "\(topic) did not hold what the test waits for within \(timeout)" }
}
