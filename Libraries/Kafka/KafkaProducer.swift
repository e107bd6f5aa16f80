import CRDKafka
import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import Synchronization

/// An idempotent producer (acks=all) whose sends can be awaited until the
/// broker acknowledges them. A send serves delivery reports itself (on the
/// client's queue, off the cooperative pool) until its own are in, so it works
/// whether or not `run()` is running; `run()` serves client errors while idle
/// and, at graceful shutdown, stops new sends and flushes what is in flight.
public final class KafkaProducer: Service, Sendable {
    /// Also what `KafkaAdmin.createTopics(_:using:)` sends through.
    let client: RDKafkaClient
    private let logger: Logger
    private let running = Mutex(true)

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.logger = logger
        client = try RDKafkaClient(kind: .producer, properties: configuration.librdkafkaProperties, logger: logger) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReport)
        }
    }

    /// Returns when the broker has acknowledged the message; throws its delivery error otherwise.
    public func send(_ message: KafkaOutgoingMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        try await send([message])[0].get()
    }

    /// Enqueues all, then awaits every acknowledgement; result `i` belongs to message `i`.
    /// librdkafka keeps the enqueue order per partition, so one key's messages stay in
    /// order; and once librdkafka refuses a message (too large, say), the later messages
    /// of its topic and key are not enqueued but failed as `heldBack`, so none of them
    /// leaves before it.
    public func send(_ messages: [KafkaOutgoingMessage]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        let collector = DeliveryCollector(count: messages.count)
        var refusedKeys: Set<RefusedKey> = []
        for (index, message) in messages.enumerated() {
            let key = RefusedKey(topic: message.topic, key: message.key)
            let id = client.callbacks.register { collector.deliver(index, $0) }
            if refusedKeys.contains(key) {
                client.callbacks.complete(id, .failure(Self.heldBack))
            } else if await !enqueue(message, id: id) {
                refusedKeys.insert(key)
            }
        }
        // rd_kafka_poll returns as soon as it has served a report, whoever's it is.
        while !collector.isComplete {
            _ = await client.blocking { rd_kafka_poll($0, 10) }
        }
        return await collector.results()
    }

    /// Hands the message to librdkafka, serving reports while its queue is full; false
    /// when it was refused (and its report already completed with the reason).
    private func enqueue(_ message: KafkaOutgoingMessage, id: UInt) async -> Bool {
        guard running.withLock({ $0 }) else {
            // After the final flush nothing would ever be acknowledged: refuse now, clearly.
            client.callbacks.complete(id, .failure(Self.shutDown))
            return false
        }
        while true {
            guard let error = produce(message, id: id) else { return true }
            if error.isQueueFull, running.withLock({ $0 }) {
                // Serving reports is what frees room in the queue.
                _ = await client.blocking { rd_kafka_poll($0, 10) }
                continue
            }
            client.callbacks.complete(id, .failure(error))
            return false
        }
    }

    /// A topic and record key whose earlier message this send could not enqueue.
    private struct RefusedKey: Hashable {
        var topic: String
        var key: [UInt8]?
    }

    private func produce(_ message: KafkaOutgoingMessage, id: UInt) -> KafkaError? {
        // Copies of the strings live until librdkafka has copied the message (RD_KAFKA_MSG_F_COPY).
        let topic = strdup(message.topic)!
        let headerNames = message.headers.map { strdup($0.key)! }
        defer {
            free(topic)
            for name in headerNames { free(name) }
        }
        return message.value.withUnsafeBytes { value -> KafkaError? in
            (message.key ?? []).withUnsafeBytes { key -> KafkaError? in
                let headerValues = message.headers.map { $0.value.map { Array($0) } }
                return withHeaderPointers(headerValues) { headerPointers -> KafkaError? in
                    var fields: [rd_kafka_vu_t] = []
                    var field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_TOPIC
                    field.u.cstr = UnsafePointer(topic)
                    fields.append(field)
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_VALUE
                    field.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    field.u.mem.size = value.count
                    fields.append(field)
                    if message.key != nil {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_KEY
                        field.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                        field.u.mem.size = key.count
                        fields.append(field)
                    }
                    for (index, name) in headerNames.enumerated() {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_HEADER
                        field.u.header.name = UnsafePointer(name)
                        field.u.header.val = UnsafeRawPointer(headerPointers[index].baseAddress)
                        field.u.header.size = headerPointers[index].baseAddress == nil ? -1 : headerPointers[index].count
                        fields.append(field)
                    }
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    field.u.i = RD_KAFKA_MSG_F_COPY
                    fields.append(field)
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_OPAQUE
                    field.u.ptr = UnsafeMutableRawPointer(bitPattern: id)
                    fields.append(field)
                    guard let error = rd_kafka_produceva(client.handle, &fields, fields.count) else { return nil }
                    return KafkaError(consuming: error, context: "produce to \(message.topic)")
                }
            }
        }
    }

    /// Not sent, so as not to overtake an earlier message of its key that was refused; trying again can help.
    public static let heldBack = KafkaError(
        code: RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS.rawValue, isRetriable: true, context: "produce",
        message: "held back: an earlier message of the same topic and key was refused")

    private static let shutDown = KafkaError(
        code: RD_KAFKA_RESP_ERR__DESTROY.rawValue, isRetriable: true, context: "produce",
        message: "the producer has shut down; the broker did not acknowledge")

    /// True when a broker answers: the readiness probe's Kafka check.
    public func isConnected() async -> Bool {
        await client.isConnected()
    }

    /// Serves client events while idle until graceful shutdown or cancellation,
    /// then refuses new sends and flushes for up to 10 s.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            while running.withLock({ $0 }) {
                _ = await client.blocking { rd_kafka_poll($0, 0) }
                try? await Task.sleep(for: .milliseconds(100))
            }
        } onCancelOrGracefulShutdown: {
            self.running.withLock { $0 = false }
        }
        let remaining = await client.blocking { handle -> Int32 in
            _ = rd_kafka_flush(handle, 10_000)
            return rd_kafka_outq_len(handle)
        }
        if remaining > 0 {
            logger.warning("producer stopped with messages unacknowledged", metadata: ["count": "\(remaining)"])
        }
        // Whatever is still awaited will not be acknowledged by this producer.
        client.callbacks.failAll(Self.shutDown)
        if let fatal = client.fatalError(context: "producer") { throw fatal }
    }
}

/// Pins header values in memory for the duration of `body`.
private func withHeaderPointers<R>(_ values: [[UInt8]?], _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
    let storage = values.map {
        $0.map { value -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(value.count, 1), alignment: 1)
            buffer.copyBytes(from: value)
            return buffer
        }
    }
    defer { for pointer in storage { pointer?.deallocate() } }
    let pointers = zip(values, storage).map { value, buffer in
        buffer.map { UnsafeRawBufferPointer(start: $0.baseAddress, count: value!.count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }
    return body(pointers)
}

private let deliveryReport: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    handle, message, _ in
    guard let message, let callbacks = RDKafkaClient.callbacks(of: handle) else { return }
    let id = UInt(bitPattern: message.pointee._private)
    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        let topic = String(cString: rd_kafka_topic_name(message.pointee.rkt))
        callbacks.complete(id, .success(KafkaDeliveryReport(topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)))
    } else {
        callbacks.complete(id, .failure(KafkaError(message.pointee.err, context: "delivery")))
    }
}

/// Gathers the delivery reports of one `send` call and wakes it when all are in.
private final class DeliveryCollector: Sendable {
    private struct State {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var waiter: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
    }

    func deliver(_ index: Int, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        let finished = state.withLock {
            state -> (CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>, [Result<KafkaDeliveryReport, KafkaError>])? in
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.results.map { $0! })
        }
        if let (waiter, results) = finished { waiter.resume(returning: results) }
    }

    var isComplete: Bool { state.withLock { $0.remaining == 0 } }

    func results() async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Result<KafkaDeliveryReport, KafkaError>]? in
                guard state.remaining > 0 else { return state.results.map { $0! } }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
