import CRDKafka
import Dispatch
import FoundationEssentials
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the serial queue on which every blocking call on
/// it runs, so librdkafka never blocks Swift's cooperative thread pool.
/// librdkafka handles are thread-safe; the queue only keeps blocking off the pool
/// and orders consume and close.
final class RDKafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    let callbacks: Callbacks
    private let queue: DispatchQueue
    private let opaque: Unmanaged<Callbacks>

    enum Kind { case producer, consumer }

    /// What C callbacks reach through the handle's opaque pointer.
    final class Callbacks: Sendable {
        typealias Delivery = @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void
        let logger: Logger
        private let deliveries = Mutex<(next: UInt, pending: [UInt: Delivery])>((1, [:]))

        init(logger: Logger) { self.logger = logger }

        /// Remembers who awaits a message's report; the id travels as the message's opaque.
        func register(_ delivery: @escaping Delivery) -> UInt {
            deliveries.withLock { state in
                let id = state.next
                state.next &+= 1
                state.pending[id] = delivery
                return id
            }
        }

        func complete(_ id: UInt, _ result: Result<KafkaDeliveryReport, KafkaError>) {
            deliveries.withLock { $0.pending.removeValue(forKey: id) }?(result)
        }

        func failAll(_ error: KafkaError) {
            let pending = deliveries.withLock { state in
                defer { state.pending.removeAll() }
                return Array(state.pending.values)
            }
            for delivery in pending { delivery(.failure(error)) }
        }
    }

    init(kind: Kind, properties: [(String, String)], logger: Logger, configure: (OpaquePointer) -> Void = { _ in }) throws(KafkaError) {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            guard rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.configuration(key, String(cString: errorText, truncatingNull: ()))
            }
        }
        let callbacks = Callbacks(logger: logger)
        let opaque = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(conf, opaque.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdkafkaLog)
        rd_kafka_conf_set_error_cb(conf, rdkafkaError)
        configure(conf)
        // rd_kafka_new takes the configuration, also when it fails.
        guard let handle = rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errorText, errorText.count) else {
            opaque.release()
            throw KafkaError.configuration("client", String(cString: errorText, truncatingNull: ()))
        }
        self.handle = handle
        self.callbacks = callbacks
        self.opaque = opaque
        self.queue = DispatchQueue(label: "asysta.kafka.\(kind)")
    }

    deinit {
        rd_kafka_destroy(handle)
        opaque.release()
    }

    /// Runs a blocking librdkafka call on this client's queue.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body(self.handle)) }
        }
    }

    /// The fatal error that stopped the client, if one did.
    func fatalError(context: String) -> KafkaError? {
        var text = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &text, text.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(
            code: code.rawValue, isRetriable: false, isFatal: true, context: context, message: String(cString: text, truncatingNull: ()))
    }

    /// True when a broker answers a metadata request within `timeout`.
    func isConnected(timeout: Duration = .seconds(2)) async -> Bool {
        await blocking { handle in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle, 0, nil, &metadata, Int32(timeout.wholeMilliseconds))
            if let metadata { rd_kafka_metadata_destroy(metadata) }
            return code == RD_KAFKA_RESP_ERR_NO_ERROR
        }
    }

    static func callbacks(of handle: OpaquePointer?) -> Callbacks? {
        guard let handle, let raw = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<Callbacks>.fromOpaque(raw).takeUnretainedValue()
    }
}

private let rdkafkaLog: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, text in
    guard let callbacks = RDKafkaClient.callbacks(of: handle) else { return }
    let swiftLevel: Logger.Level =
        switch level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    callbacks.logger.log(
        level: swiftLevel, "\(text.map { String(cString: $0) } ?? "")",
        metadata: [
            "librdkafka": "\(facility.map { String(cString: $0) } ?? "")"
        ])
}

private let rdkafkaError: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, _ in
    guard let callbacks = RDKafkaClient.callbacks(of: handle) else { return }
    let error = rd_kafka_resp_err_t(rawValue: code)
    let level: Logger.Level = error == RD_KAFKA_RESP_ERR__FATAL ? .critical : .warning
    callbacks.logger.log(
        level: level, "kafka client error",
        metadata: [
            "code": "\(code)", "error": "\(reason.map { String(cString: $0) } ?? "")",
        ])
}
