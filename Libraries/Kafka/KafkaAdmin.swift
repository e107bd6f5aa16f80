import CRDKafka
import FoundationEssentials
import Glibc
import Logging
import Synchronization

/// Cluster administration the services and the operator tool need.
public enum KafkaAdmin {
    /// Creates the topics that do not exist yet (an existing one is fine) and waits
    /// until every one is in the cluster's metadata.
    public static func createTopics(
        _ topics: [KafkaTopicSpec], configuration: KafkaConfiguration, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        guard !topics.isEmpty else { return }
        let client = try RDKafkaClient(kind: .producer, properties: configuration.librdkafkaProperties, logger: Logger(label: "asysta.kafka.admin"))
        try await createTopics(topics, client: client, timeout: timeout)
    }

    /// The same through a producer the caller keeps, as a service does at start: no client of
    /// its own to connect and tear down (tearing one down waits for librdkafka's broker
    /// threads, which took a whole second in one start of three here).
    public static func createTopics(
        _ topics: [KafkaTopicSpec], using producer: KafkaProducer, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        guard !topics.isEmpty else { return }
        try await createTopics(topics, client: producer.client, timeout: timeout)
    }

    private static func createTopics(_ topics: [KafkaTopicSpec], client: RDKafkaClient, timeout: Duration) async throws(KafkaError) {
        let deadline = ContinuousClock.now + timeout
        let names = topics.map(\.name)
        func known() async throws(KafkaError) -> [String: [Int32]] {
            try await retrying(until: deadline) { left throws(KafkaError) in try await partitions(of: names, client: client, timeout: left) }
        }
        // The cluster's metadata first: a restart finds its topics there and sends no CreateTopics.
        var existing = try await known()
        if existing.count == topics.count { return }
        let missing = topics.filter { existing[$0.name] == nil }
        // Sent again only when it failed on the way; a topic it did create answers "already exists".
        try await retrying(until: deadline) { left throws(KafkaError) in try await create(missing, client: client, timeout: left) }
        while existing.count < topics.count {
            guard ContinuousClock.now < deadline else { throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, context: "waiting for new topics") }
            try? await Task.sleep(for: .milliseconds(100))
            existing = try await known()
        }
    }

    /// One CreateTopics request; a topic that exists already is no failure.
    private static func create(_ topics: [KafkaTopicSpec], client: RDKafkaClient, timeout: Duration) async throws(KafkaError) {
        let result: Result<Void, KafkaError> = await client.blocking { handle in
            var errorText = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, Int32(topic.replicationFactor), &errorText, errorText.count)
                else {
                    return .failure(KafkaError.configuration("topic \(topic.name)", String(cString: errorText, truncatingNull: ())))
                }
                for (key, value) in topic.config { rd_kafka_NewTopic_set_config(newTopic, key, value) }
                newTopics.append(newTopic)
            }
            return adminRequest(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout, context: "create topics") { options, queue in
                rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
            } read: { event in
                var count = 0
                guard let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count) else {
                    return .success(())
                }
                for index in 0..<count {
                    let code = rd_kafka_topic_result_error(results[index])
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                        return .failure(KafkaError(code, context: "create topic \(String(cString: rd_kafka_topic_result_name(results[index])))"))
                    }
                }
                return .success(())
            }
        }
        try result.get()
    }

    /// How far a consumer group is behind on each partition of `topics`, through a client made
    /// for the question (the operator tool asks about a group once).
    public static func lag(
        groupID: String, topics: [String], configuration: KafkaConfiguration, timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [KafkaPartitionLag] {
        try await KafkaLagReader(groupID: groupID, topics: topics, configuration: configuration).lag(timeout: timeout)
    }

    /// `body` given the time left, and again after a short pause while it fails in a way trying
    /// again can help, until `deadline`. A busy broker has taken over 5 s to answer (a CI run,
    /// several tests starting services at once), and librdkafka then drops the connection
    /// (`socket.max.fails`), failing what was sent on it: a service starting then should wait.
    private static func retrying<T>(
        until deadline: ContinuousClock.Instant, _ body: (Duration) async throws(KafkaError) -> T
    ) async throws(KafkaError) -> T {
        while true {
            do {
                return try await body(max(deadline - ContinuousClock.now, .milliseconds(100)))
            } catch let error where error.isRetriable && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The partitions of those `topics` the cluster knows, by topic. A DescribeTopics request
    /// names them, so it does not grow with the cluster: while the whole suite ran (873 topics
    /// by its end), 12 topics' answer took the test broker 83 ms at the median, every topic's 185 ms.
    static func partitions(of topics: [String], client: RDKafkaClient, timeout: Duration) async throws(KafkaError) -> [String: [Int32]] {
        let result: Result<[String: [Int32]], KafkaError> = await client.blocking { handle in
            var names = topics.map { UnsafePointer(strdup($0)) }
            defer { for name in names { free(UnsafeMutablePointer(mutating: name)) } }
            let collection = rd_kafka_TopicCollection_of_topic_names(&names, names.count)
            defer { rd_kafka_TopicCollection_destroy(collection) }
            return adminRequest(handle, RD_KAFKA_ADMIN_OP_DESCRIBETOPICS, timeout: timeout, context: "describe topics") { options, queue in
                rd_kafka_DescribeTopics(handle, collection, options, queue)
            } read: { event in
                var count = 0
                guard let descriptions = rd_kafka_DescribeTopics_result_topics(rd_kafka_event_DescribeTopics_result(event), &count) else {
                    return .success([:])
                }
                var found: [String: [Int32]] = [:]
                for index in 0..<count {
                    let description = descriptions[index]
                    // A topic the cluster does not know comes back with its own error, not in the event's.
                    if let error = rd_kafka_TopicDescription_error(description), rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR_NO_ERROR { continue }
                    var partitionCount = 0
                    let partitions = rd_kafka_TopicDescription_partitions(description, &partitionCount)
                    guard let partitions, partitionCount > 0 else { continue }
                    found[String(cString: rd_kafka_TopicDescription_name(description))] =
                        (0..<partitionCount).map { Int32(rd_kafka_TopicPartitionInfo_partition(partitions[$0])) }.sorted()
                }
                return .success(found)
            }
        }
        return try result.get()
    }

    /// Sends one admin request on a queue of its own and waits for its result, at most
    /// `timeout` for the broker's answer: `send` issues it with the options made here, `read`
    /// looks at the result event before it is freed. A request that got no answer or lost its
    /// connection fails with the event's error.
    private static func adminRequest<T>(
        _ handle: OpaquePointer, _ operation: rd_kafka_admin_op_t, timeout: Duration, context: String,
        send: (_ options: OpaquePointer?, _ queue: OpaquePointer?) -> Void, read: (_ event: OpaquePointer) -> Result<T, KafkaError>
    ) -> Result<T, KafkaError> {
        // librdkafka takes a request timeout of at most an hour.
        let milliseconds = Int32(min(max(timeout.wholeMilliseconds, 0), 3_600_000))
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errorText, errorText.count)
        send(options, queue)
        // A second past the request's own timeout, so its timed-out result is what comes back.
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 1000) else {
            return .failure(KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, context: context))
        }
        defer { rd_kafka_event_destroy(event) }
        let code = rd_kafka_event_error(event)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(code, context: context)) }
        return read(event)
    }
}

/// Answers how far one consumer group is behind on its topics, again and again, through one
/// client made at the first question and kept: a client made and torn down per question (as
/// `KafkaAdmin.lag` does) waited a second for librdkafka's broker threads in three questions
/// of ten, and the group's own member queues each watermark behind its held fetches.
public final class KafkaLagReader: Sendable {
    public let groupID: String
    public let topics: [String]
    private let properties: [(String, String)]
    private let client = Mutex<RDKafkaClient?>(nil)

    public init(groupID: String, topics: [String], configuration: KafkaConfiguration) {
        self.groupID = groupID
        self.topics = topics
        // The group's id only to read its committed offsets: this client never joins it.
        properties =
            KafkaConsumerConfiguration(kafka: configuration, groupID: groupID, topics: topics).librdkafkaProperties + [
                ("enable.auto.commit", "false")
            ]
    }

    public func lag(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaPartitionLag] {
        let client = try client.withLock { (kept: inout RDKafkaClient?) throws(KafkaError) -> RDKafkaClient in
            if let kept { return kept }
            let made = try RDKafkaClient(kind: .consumer, properties: properties, logger: Logger(label: "asysta.kafka.admin"))
            kept = made
            return made
        }
        let known = try await KafkaAdmin.partitions(of: topics, client: client, timeout: timeout)
        let milliseconds = Int32(timeout.wholeMilliseconds)
        let result: Result<[KafkaPartitionLag], KafkaError> = await client.blocking { handle in
            let list = rd_kafka_topic_partition_list_new(Int32(known.count))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (topic, partitions) in known.sorted(by: { $0.key < $1.key }) {
                for partition in partitions { rd_kafka_topic_partition_list_add(list, topic, partition) }
            }
            let code = rd_kafka_committed(handle, list, milliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(code, context: "committed offsets")) }
            var lags: [KafkaPartitionLag] = []
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                var low: Int64 = 0
                var high: Int64 = 0
                let watermarks = rd_kafka_query_watermark_offsets(handle, element.topic, element.partition, &low, &high, milliseconds)
                guard watermarks == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(watermarks, context: "watermarks")) }
                lags.append(
                    KafkaPartitionLag(
                        topic: String(cString: element.topic), partition: element.partition, committed: element.offset, highWatermark: high))
            }
            return .success(lags)
        }
        return try result.get()
    }
}
