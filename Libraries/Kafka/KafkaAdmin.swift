import CRDKafka
import FoundationEssentials
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
        // The cluster's metadata first: a restart finds its topics there and sends no CreateTopics.
        let existing = try await partitions(of: topics.map(\.name), client: client, retryingUntil: deadline)
        if existing.count == topics.count { return }
        let failure: KafkaError? = await client.blocking { handle -> KafkaError? in
            var errorText = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, Int32(topic.replicationFactor), &errorText, errorText.count)
                else {
                    return KafkaError.configuration("topic \(topic.name)", String(cString: errorText, truncatingNull: ()))
                }
                for (key, value) in topic.config { rd_kafka_NewTopic_set_config(newTopic, key, value) }
                newTopics.append(newTopic)
            }
            let queue = rd_kafka_queue_new(handle)!
            defer { rd_kafka_queue_destroy(queue) }
            let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.wholeMilliseconds), &errorText, errorText.count)
            rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
            guard let event = rd_kafka_queue_poll(queue, Int32(timeout.wholeMilliseconds)) else {
                return KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, context: "create topics")
            }
            defer { rd_kafka_event_destroy(event) }
            if rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(rd_kafka_event_error(event), context: "create topics")
            }
            var count = 0
            guard let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count) else { return nil }
            for index in 0..<count {
                let code = rd_kafka_topic_result_error(results[index])
                if code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    return KafkaError(code, context: "create topic \(String(cString: rd_kafka_topic_result_name(results[index])))")
                }
            }
            return nil
        }
        if let failure { throw failure }
        while try await partitions(of: topics.map(\.name), client: client, retryingUntil: deadline).count < topics.count {
            guard ContinuousClock.now < deadline else { throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, context: "waiting for new topics") }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// How far a consumer group is behind on each partition of `topics`, through a client made
    /// for the question (the operator tool asks about a group once).
    public static func lag(
        groupID: String, topics: [String], configuration: KafkaConfiguration, timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [KafkaPartitionLag] {
        try await KafkaLagReader(groupID: groupID, topics: topics, configuration: configuration).lag(timeout: timeout)
    }

    /// `partitions(of:client:)`, asked again while the broker answers too slowly, until
    /// `deadline`: a busy broker once took over the request's 5 s to answer for every topic
    /// (a CI run, three tests at once), and a service starting then should wait, not fail.
    private static func partitions(
        of topics: [String], client: RDKafkaClient, retryingUntil deadline: ContinuousClock.Instant
    ) async throws(KafkaError) -> [String: [Int32]] {
        while true {
            do {
                return try await partitions(of: topics, client: client)
            } catch let error where error.code == RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue && ContinuousClock.now < deadline {
                continue
            }
        }
    }

    /// The partitions of those `topics` the cluster knows, by topic.
    static func partitions(of topics: [String], client: RDKafkaClient) async throws(KafkaError) -> [String: [Int32]] {
        let wanted = Set(topics)
        let result: Result<[String: [Int32]], KafkaError> = await client.blocking { handle in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle, 1, nil, &metadata, 5000)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { return .failure(KafkaError(code, context: "metadata")) }
            defer { rd_kafka_metadata_destroy(metadata) }
            var found: [String: [Int32]] = [:]
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                let name = String(cString: topic.topic)
                guard wanted.contains(name), topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, topic.partition_cnt > 0 else { continue }
                found[name] = (0..<Int(topic.partition_cnt)).map { topic.partitions[$0].id }.sorted()
            }
            return .success(found)
        }
        return try result.get()
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
        let known = try await KafkaAdmin.partitions(of: topics, client: client)
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
