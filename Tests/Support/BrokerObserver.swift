import Foundation
import Kafka
import Logging
import Postgres
import Synchronization

/// What services published on some topics of the test broker, read as an outside
/// observer with the project's own consumer: a fresh group, from the beginning.
public final class BrokerObserver: Sendable {
    private let topics: [String]
    private let consumer: KafkaConsumer
    private let kafka = TestBroker.shared.configuration(clientID: "observer")
    /// Each record (headers included, for dead letters), by topic, and the next offset seen on each partition.
    private let received = Mutex<(records: [String: [KafkaMessage]], next: [String: [Int32: Int64]])>(([:], [:]))

    private init(topics: [String]) throws {
        self.topics = topics
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "observer-\(UUID())", topics: topics),
            logger: Logger(label: "observer"))
    }

    /// Reads `topics` (which must exist) while `body` runs.
    public static func observing<T: Sendable>(_ topics: [String], _ body: @Sendable (BrokerObserver) async throws -> T) async throws -> T {
        let observer = try BrokerObserver(topics: topics)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await observer.consumer.run() }
            group.addTask {
                for try await batch in observer.consumer.batches { observer.store(batch) }
            }
            do {
                let result = try await body(observer)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func store(_ batch: [KafkaMessage]) {
        received.withLock { received in
            for message in batch {
                received.records[message.topic, default: []].append(message)
                received.next[message.topic, default: [:]][message.partition] = max(
                    received.next[message.topic]?[message.partition] ?? 0, message.offset + 1)
            }
        }
    }

    public func topic(_ name: String) -> ObservedTopic { ObservedTopic(observer: self, name: name) }

    /// The records of `topic` received so far, decoded as JSON objects.
    fileprivate func records(on topic: String) -> [KafkaMessage] {
        received.withLock { $0.records[topic] ?? [] }
    }

    fileprivate func events(on topic: String) -> [[String: Any]] {
        records(on: topic).compactMap { try? JSONSerialization.jsonObject(with: Data($0.value)) as? [String: Any] }
    }

    /// Waits (up to `timeout`) until every record on `topic` now has been received.
    fileprivate func catchUp(on topic: String, timeout: Duration = .seconds(30)) async throws {
        // An unused group has no committed offsets: the answer is the partitions' high watermarks.
        let ends = try await KafkaAdmin.lag(groupID: "watermarks-\(UUID())", topics: [topic], configuration: kafka)
        let deadline = ContinuousClock.now + timeout
        while !ends.allSatisfy({ end in received.withLock { ($0.next[topic]?[end.partition] ?? 0) >= end.highWatermark } }) {
            guard ContinuousClock.now < deadline else { throw ObserverError.notCaughtUp(topic) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

public enum ObserverError: Error { case notCaughtUp(String) }

extension BrokerObserver {
    /// Every record on `topics` once a running service has sent all its outbox held: the
    /// relay deletes each row the broker acknowledged, so an empty outbox means all is out.
    public static func published(on topics: [String], outboxOf pool: PostgresPool) async throws -> [KafkaMessage] {
        try await eventually(timeout: .seconds(30)) { () async throws -> Void? in
            let left = try await pool.withConnection { try await $0.query("SELECT count(*) FROM outbox")[0].decode(Int.self, at: 0) }
            return left == 0 ? () : nil
        }
        return try await records(on: topics)
    }

    /// Every record now on `topics` (full names), topic by topic.
    public static func records(on topics: [String]) async throws -> [KafkaMessage] {
        try await observing(topics) { observer in
            var records: [KafkaMessage] = []
            for topic in topics { records += try await observer.topic(topic).records() }
            return records
        }
    }
}

/// One topic as the observer sees it.
public struct ObservedTopic: Sendable {
    let observer: BrokerObserver
    public let name: String

    /// Every record now on the topic (waits until all were received), as consumed.
    public func records() async throws -> [KafkaMessage] {
        try await observer.catchUp(on: name)
        return observer.records(on: name)
    }

    /// Every record's value now on the topic (waits until all were received), decoded as JSON objects.
    public func events() async throws -> [[String: Any]] {
        try await observer.catchUp(on: name)
        return observer.events(on: name)
    }

    /// The raw text of every record now on the topic, for scanning.
    public func texts() async throws -> [String] {
        try await events().map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
    }

    /// Waits (up to `timeout`) for an event that satisfies `match`.
    public func waitFor(timeout: Duration = .seconds(30), _ match: ([String: Any]) -> Bool) async throws -> [String: Any]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = observer.events(on: name).first(where: match) { return event }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}

extension Dictionary where Key == String, Value == Any {
    public var eventType: String? { self["type"] as? String }
    public var payload: [String: Any] { self["data"] as? [String: Any] ?? [:] }
}
