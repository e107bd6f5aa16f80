import CRDKafka
import FoundationEssentials
import Logging
import ServiceLifecycle
import Synchronization

/// A consumer-group member. Records arrive as batches pulled on demand, so a
/// backlog waits in the broker rather than in memory. Offsets advance only
/// through `storeOffsets`, called once a batch's effect is durable; librdkafka
/// commits what was stored periodically, when partitions are revoked, and at close.
public final class KafkaConsumer: Service, Sendable {
    private let client: RDKafkaClient
    private let configuration: KafkaConsumerConfiguration
    private let logger: Logger
    private let closed = Mutex(false)

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        client = try RDKafkaClient(kind: .consumer, properties: configuration.librdkafkaProperties, logger: logger)
        rd_kafka_poll_set_consumer(client.handle)
        let topics = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(topics) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
        }
        let code = rd_kafka_subscribe(client.handle, topics)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, context: "subscribe") }
    }

    /// The group and the topics it reads, for reporting its lag.
    public var subscription: (groupID: String, topics: [String]) { (configuration.groupID, configuration.topics) }

    /// The most records one poll returns.
    public var maxBatchSize: Int { configuration.maxBatchSize }

    /// Batches of records, each non-empty and in partition order. Ends when the consumer closes.
    public var batches: KafkaBatchSequence { KafkaBatchSequence(consumer: self) }

    /// One poll of up to `maxBatchSize` records: it waits at most 100 ms for the
    /// first, then takes only what librdkafka has already fetched. A batch call with
    /// a timeout waits out the whole timeout unless the batch fills, which put up to
    /// 100 ms on every record of a quiet service; this way an idle service takes one
    /// record the moment it comes and a backlog still arrives in full batches.
    func poll() async -> [KafkaMessage]? {
        let maxBatchSize = configuration.maxBatchSize
        let logger = logger
        return await client.blocking { [self] handle -> [KafkaMessage]? in
            guard !closed.withLock({ $0 }) else { return nil }
            let queue = rd_kafka_queue_get_consumer(handle)!
            defer { rd_kafka_queue_destroy(queue) }
            guard let first = rd_kafka_consume_queue(queue, 100) else { return [] }
            var pointers = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: maxBatchSize)
            pointers[0] = first
            let rest =
                maxBatchSize > 1
                ? pointers.withUnsafeMutableBufferPointer { rd_kafka_consume_batch_queue(queue, 0, $0.baseAddress! + 1, maxBatchSize - 1) } : 0
            let count = 1 + max(rest, 0)
            var messages: [KafkaMessage] = []
            messages.reserveCapacity(count)
            for pointer in pointers.prefix(count) {
                guard let pointer else { continue }
                defer { rd_kafka_message_destroy(pointer) }
                if pointer.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    logger.warning("consumer error", metadata: ["error": "\(KafkaError(pointer.pointee.err, context: "consume"))"])
                    continue
                }
                messages.append(KafkaMessage(copying: pointer))
            }
            return messages
        }
    }

    /// Marks records as processed (their offset + 1, per partition). Call only after their effect is durable.
    public func storeOffsets(for messages: [KafkaMessage]) throws(KafkaError) {
        var next: [String: [Int32: Int64]] = [:]
        for message in messages {
            next[message.topic, default: [:]][message.partition] = max(next[message.topic]?[message.partition] ?? 0, message.offset + 1)
        }
        guard !next.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(messages.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (topic, partitions) in next {
            for (partition, offset) in partitions {
                rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = offset
            }
        }
        let code = rd_kafka_offsets_store(client.handle, list)
        // A partition revoked since its records were read cannot take an offset: the
        // new owner re-reads those records and the inbox absorbs them.
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__STATE else {
            throw KafkaError(code, context: "store offsets")
        }
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws(KafkaError) {
        let code = await client.blocking { rd_kafka_commit($0, nil, 0) }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(code, context: "commit")
        }
    }

    /// Serves the group until graceful shutdown or cancellation, then commits the
    /// stored offsets and leaves the group at once, so its partitions move without
    /// waiting for the session to time out.
    public func run() async throws {
        try? await gracefulShutdownOrCancellation()
        closed.withLock { $0 = true }
        let code = await client.blocking { handle -> rd_kafka_resp_err_t in
            let committed = rd_kafka_commit(handle, nil, 0)
            if committed != RD_KAFKA_RESP_ERR_NO_ERROR, committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
                return committed
            }
            return rd_kafka_consumer_close(handle)
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer closed with an error", metadata: ["error": "\(KafkaError(code, context: "close"))"])
        }
        if let fatal = client.fatalError(context: "consumer") { throw fatal }
    }
}

/// Waits until the task is cancelled or the service group shuts down gracefully.
func gracefulShutdownOrCancellation() async throws {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    await withTaskCancellationOrGracefulShutdownHandler {
        for await _ in stream {}
    } onCancelOrGracefulShutdown: {
        continuation.finish()
    }
}

public struct KafkaBatchSequence: AsyncSequence, Sendable {
    public typealias Element = [KafkaMessage]
    let consumer: KafkaConsumer

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let consumer: KafkaConsumer

        /// Polls until records arrive; nil once the consumer is closed or the task cancelled.
        public mutating func next() async throws -> [KafkaMessage]? {
            while true {
                guard let messages = await consumer.poll() else { return nil }
                if !messages.isEmpty { return messages }
                if Task.isCancelled { return nil }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}

extension KafkaMessage {
    init(copying pointer: UnsafeMutablePointer<rd_kafka_message_t>) {
        let raw = pointer.pointee
        let value = raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        let key = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            for index in 0..<rd_kafka_header_cnt(list) {
                var name: UnsafePointer<CChar>?
                var bytes: UnsafeRawPointer?
                var size = 0
                guard rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let name else { continue }
                headers.append(KafkaHeader(key: String(cString: name), value: bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(pointer, &timestampType)
        self.init(
            topic: String(cString: rd_kafka_topic_name(raw.rkt)),
            partition: raw.partition,
            offset: raw.offset,
            key: key,
            value: value,
            headers: headers,
            timestamp: milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
        )
    }
}
