import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

private let logger = Logger(label: "kafka-tests")

private func running<T: Sendable>(_ services: [any Service], _ body: () async throws -> T) async throws -> T {
    try await withRunning(services, logger: logger, body)
}

private func producer() throws -> KafkaProducer {
    try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: TestBroker.shared.configuration()), logger: logger)
}

private func consumer(_ topic: String, group: String, batch: Int = 500) throws -> KafkaConsumer {
    var configuration = KafkaConsumerConfiguration(kafka: TestBroker.shared.configuration(), groupID: group, topics: [topic])
    configuration.maxBatchSize = batch
    return try KafkaConsumer(configuration: configuration, logger: logger)
}

private func message(_ topic: String, _ index: Int) -> KafkaOutgoingMessage {
    KafkaOutgoingMessage(
        topic: topic, key: Array("key-\(index % 5)".utf8), value: Array("value-\(index)".utf8),
        headers: [KafkaHeader(key: "index", value: Array("\(index)".utf8)), KafkaHeader(key: "empty", value: nil)]
    )
}

/// Pulls batches until `count` records arrived, storing their offsets if asked. Never
/// races a timer against a poll: a poll's records, once fetched, must not be dropped.
private func drain(_ consumer: KafkaConsumer, count: Int, store: Bool = true) async throws -> [KafkaMessage] {
    var received: [KafkaMessage] = []
    for try await batch in consumer.batches {
        if store { try consumer.storeOffsets(for: batch) }
        received += batch
        if received.count >= count { break }
    }
    return received
}

@Suite("Kafka against a real broker", .timeLimit(.minutes(2)))
struct KafkaTests {
    @Test("awaited sends return increasing offsets per partition, and a group reads back keys, values and headers in order")
    func produceAndConsume() async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "roundtrip", partitions: 3)
        let producer = try producer()
        let consumer = try consumer(topic, group: "roundtrip")
        try await running([producer, consumer]) {
            var reports: [KafkaDeliveryReport] = []
            for index in 0..<20 { reports.append(try await producer.send(message(topic, index))) }
            let batched = await producer.send((20..<100).map { message(topic, $0) })
            reports += try batched.map { try $0.get() }
            for partition in Set(reports.map(\.partition)) {
                let offsets = reports.filter { $0.partition == partition }.map(\.offset)
                #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count, "offsets grow in partition \(partition)")
            }
            let received = try await drain(consumer, count: 100)
            #expect(received.count == 100)
            #expect(Set(received.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<100).map { "value-\($0)" }))
            for record in received {
                let index = Int(String(decoding: record.header("index") ?? [], as: UTF8.self))!
                #expect(record.key == Array("key-\(index % 5)".utf8))
                #expect(record.headers.contains(KafkaHeader(key: "empty", value: nil)))
                #expect(record.topic == topic)
            }
            // One key lives in one partition, in the order it was sent.
            for key in 0..<5 {
                let indices = received.filter { $0.key == Array("key-\(key)".utf8) }.map {
                    Int(String(decoding: $0.header("index")!, as: UTF8.self))!
                }
                #expect(indices == indices.sorted())
                #expect(Set(received.filter { $0.key == Array("key-\(key)".utf8) }.map(\.partition)).count == 1)
            }
        }
    }

    @Test("a member that stored and committed offsets hands over exactly where it stopped; what was not stored is read again")
    func commitAndResume() async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "resume", partitions: 1)
        let producer = try producer()
        try await running([producer]) {
            _ = try await producer.send((0..<40).map { message(topic, $0) }).map { try $0.get() }
        }
        // The first member stores offsets of the first 20 only.
        let first = try consumer(topic, group: "resume", batch: 10)
        try await running([first]) {
            var stored = 0
            var iterator = first.batches.makeAsyncIterator()
            while stored < 20, let batch = try await iterator.next() {
                let take = Array(batch.prefix(20 - stored))
                try first.storeOffsets(for: take)
                stored += take.count
            }
            try await first.commit()
        }
        let second = try consumer(topic, group: "resume")
        let rest = try await running([second]) { try await drain(second, count: 20) }
        #expect(rest.map(\.offset) == Array(20..<40).map(Int64.init), "resumes right after the last stored offset, and re-reads the unstored")
    }

    @Test("two members of a group split a topic's partitions between them")
    func membersSplitPartitions() async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "split", partitions: 4)
        let producer = try producer()
        let a = try consumer(topic, group: "split")
        let b = try consumer(topic, group: "split")
        try await running([producer, a, b]) {
            _ = try await producer.send(
                (0..<400).map { index in
                    KafkaOutgoingMessage(topic: topic, key: Array("k\(index)".utf8), value: Array("v\(index)".utf8))
                }
            ).map { try $0.get() }
            let tally = Tally()
            // Each member consumes until the two together have everything; only then are they stopped.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, member) in [("a", a), ("b", b)] {
                    group.addTask {
                        for try await batch in member.batches {
                            tally.add(name, batch)
                            if tally.total >= 400 { break }
                        }
                    }
                }
                group.addTask {
                    while tally.total < 400 { try await Task.sleep(for: .milliseconds(50)) }
                    // The other member may be waiting for records that will never come.
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await group.next()
                group.cancelAll()
            }
            let byMember = tally.byMember
            let all = byMember.values.flatMap { $0 }
            #expect(all.count == 400, "every record once")
            #expect(Set(all.map { "\($0.partition)/\($0.offset)" }).count == 400, "no record read by both")
            #expect(byMember["a"]!.count > 0 && byMember["b"]!.count > 0, "both members got work")
            #expect(Set(byMember["a"]!.map(\.partition)).isDisjoint(with: Set(byMember["b"]!.map(\.partition))))
        }
    }

    @Test(
        "creating topics is idempotent, through a client of its own or a producer's, and lag counts what a group has not committed, asked once or by a reader kept between questions"
    )
    func topicsAndLag() async throws {
        let name = "admin-\(UUID().uuidString.prefix(8).lowercased())"
        let configuration = TestBroker.shared.configuration()
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: name, partitions: 2)], configuration: configuration)
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: name, partitions: 2)], configuration: configuration)
        let producer = try producer()
        // One topic that exists and one that does not, as a service finds them after an upgrade.
        let added = name + "-added"
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: name, partitions: 2), KafkaTopicSpec(name: added, partitions: 3)], using: producer)
        #expect(try await KafkaAdmin.lag(groupID: "lagging", topics: [added], configuration: configuration).count == 3)
        try await running([producer]) {
            // One awaited send at a time: the test broker (Tansu) reports a partition's end as
            // the last *batch*'s base offset + 1, which equals Kafka's answer only for one-record batches.
            for index in 0..<10 { _ = try await producer.send(message(name, index)) }
        }
        let before = try await KafkaAdmin.lag(groupID: "lagging", topics: [name], configuration: configuration)
        #expect(before.count == 2, "one row per partition")
        #expect(before.map(\.lag).reduce(0, +) == 10)
        // A reader kept between questions, as a service's operators' route keeps one per group.
        let reader = KafkaLagReader(groupID: "lagging", topics: [name], configuration: configuration)
        #expect(try await reader.lag().map(\.lag).reduce(0, +) == 10)
        let member = try consumer(name, group: "lagging")
        try await running([member]) {
            _ = try await drain(member, count: 10)
            try await member.commit()
        }
        let after = try await KafkaAdmin.lag(groupID: "lagging", topics: [name], configuration: configuration)
        #expect(after.map(\.lag).reduce(0, +) == 0)
        #expect(try await reader.lag().map(\.lag).reduce(0, +) == 0, "the kept reader sees the commit")
    }

    @Test("a service's producer creating its topics waits out a broker that stops answering for longer than a request's own timeout")
    func createTopicsOutlastsAStalledBroker() async throws {
        // A broker of the test's own, on a port no other test uses: it is frozen under the request.
        let (port, broker) = try #require(TestBroker.launch())
        defer { kill(broker.processIdentifier, SIGKILL) }
        let configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:\(port)"], clientID: "stalled")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: logger)
        let name = "stalled-\(UUID().uuidString.prefix(8).lowercased())"
        try await running([producer]) {
            #expect(await producer.isConnected())
            kill(broker.processIdentifier, SIGSTOP)
            let creating = Task { try await KafkaAdmin.createTopics([KafkaTopicSpec(name: name, partitions: 2)], using: producer) }
            try await Task.sleep(for: .seconds(7))
            kill(broker.processIdentifier, SIGCONT)
            try await creating.value
            #expect(try await KafkaAdmin.lag(groupID: "stalled", topics: [name], configuration: configuration).count == 2)
        }
    }

    @Test("a bad property is named in the error, and the password never is")
    func configurationErrors() throws {
        var configuration = TestBroker.shared.configuration()
        configuration.properties["linger.ms"] = "not-a-number"
        configuration.security = .saslPlaintext(.init(mechanism: .scramSHA512, username: "u", password: "s3cret-value"))
        #expect {
            _ = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: logger)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.context.contains("linger.ms") && !error.description.contains("s3cret-value")
        }
    }

    @Test("sending to a broker that is not there fails within the delivery timeout, as retriable")
    func unreachableBroker() async throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"]))
        configuration.deliveryTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        try await running([producer]) {
            let result = await producer.send([KafkaOutgoingMessage(topic: "nowhere", key: nil, value: [1])])
            guard case let .failure(error) = result[0] else {
                Issue.record("a send to nowhere succeeded")
                return
            }
            #expect(error.isRetriable, "\(error.debugDescription)")
            #expect(await !producer.isConnected())
        }
    }

    @Test("an empty key or header value arrives empty, a missing one arrives missing")
    func emptyIsNotNull() async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "empty", partitions: 1)
        let producer = try producer()
        let consumer = try consumer(topic, group: "empty")
        try await running([producer, consumer]) {
            _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: [], value: [], headers: [KafkaHeader(key: "h", value: [])]))
            _ = try await producer.send(
                KafkaOutgoingMessage(topic: topic, key: nil, value: Array("x".utf8), headers: [KafkaHeader(key: "h", value: nil)]))
            let received = try await drain(consumer, count: 2)
            try #require(received.count == 2)
            #expect(received[0].key == [] && received[0].value == [] && received[0].headers == [KafkaHeader(key: "h", value: [])])
            #expect(received[1].key == nil && received[1].value == Array("x".utf8) && received[1].headers == [KafkaHeader(key: "h", value: nil)])
        }
    }

    @Test("a send after the producer shut down fails instead of waiting forever")
    func sendAfterShutdown() async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "after-shutdown", partitions: 1)
        let producer = try producer()
        _ = try await running([producer]) { try await producer.send(message(topic, 0)) }
        await #expect(throws: KafkaError.self) { try await producer.send(message(topic, 1)) }
    }

    /// A replica that starts while another already owns every partition: the revoke
    /// path (commit what was stored, hand over) runs mid-stream, with either protocol.
    @Test(
        "a member joining mid-stream takes over partitions with no record read twice or lost", arguments: ["range,roundrobin", "cooperative-sticky"])
    func memberJoinsMidStream(strategy: String) async throws {
        let topic = try await TestBroker.shared.createTopic(prefix: "join", partitions: 4)
        let group = "join-" + strategy
        func member() throws -> KafkaConsumer {
            var configuration = KafkaConsumerConfiguration(kafka: TestBroker.shared.configuration(), groupID: group, topics: [topic])
            configuration.kafka.properties["partition.assignment.strategy"] = strategy
            return try KafkaConsumer(configuration: configuration, logger: logger)
        }
        let producer = try producer()
        let a = try member()
        let b = try member()
        let tally = Tally()
        let produced = Counter()
        try await running([producer, a]) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    for try await batch in a.batches {
                        try a.storeOffsets(for: batch)
                        tally.add("a", batch)
                    }
                }
                tasks.addTask {
                    // Join only once `a` is consuming, then read until the stream is complete.
                    while tally.total == 0 { try await Task.sleep(for: .milliseconds(20)) }
                    try await running([b]) {
                        for try await batch in b.batches {
                            try b.storeOffsets(for: batch)
                            tally.add("b", batch)
                        }
                    }
                }
                tasks.addTask {
                    // Trickle until both members have received records, so the hand-over happens under traffic.
                    var index = 0
                    let deadline = ContinuousClock.now + .seconds(40)
                    while ContinuousClock.now < deadline {
                        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: Array("k\(index)".utf8), value: Array("v\(index)".utf8)))
                        index += 1
                        produced.value = index
                        let both = tally.byMember.values.allSatisfy { !$0.isEmpty }
                        if both, index % 8 == 0 { break }
                        try await Task.sleep(for: .milliseconds(25))
                    }
                }
                try await tasks.next()  // the producer finishes first; the members run until cancelled
                let total = produced.value
                let deadline = ContinuousClock.now + .seconds(20)
                while tally.total < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                tasks.cancelAll()
            }
        }
        let byMember = tally.byMember
        let seenA = Set(byMember["a"]!.map { "\($0.partition)/\($0.offset)" })
        let seenB = Set(byMember["b"]!.map { "\($0.partition)/\($0.offset)" })
        #expect(!seenB.isEmpty, "the joining member got partitions")
        #expect(seenA.isDisjoint(with: seenB), "read by both: \(seenA.intersection(seenB).sorted())")
        #expect(seenA.union(seenB).count == produced.value, "every record read once")
    }
}

/// What each group member received, shared by the members' tasks.
private final class Tally: Sendable {
    private let state = Mutex<[String: [KafkaMessage]]>(["a": [], "b": []])
    var total: Int { state.withLock { $0.values.map(\.count).reduce(0, +) } }
    var byMember: [String: [KafkaMessage]] { state.withLock { $0 } }
    func add(_ member: String, _ messages: [KafkaMessage]) { state.withLock { $0[member, default: []] += messages } }
}

/// How many records the producer task has sent so far.
private final class Counter: Sendable {
    private let state = Mutex(0)
    var value: Int {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
