import CRDKafka

/// A librdkafka failure: its code, whether trying again can help, whether the
/// client is beyond repair, and what we were doing.
public struct KafkaError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The raw `rd_kafka_resp_err_t`.
    public var code: Int32
    public var isRetriable: Bool
    public var isFatal: Bool
    /// Where it happened: "produce", "commit", "configuration: linger.ms"…
    public var context: String
    public var message: String

    public init(code: Int32, isRetriable: Bool, isFatal: Bool = false, context: String, message: String) {
        self.code = code
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.context = context
        self.message = message
    }

    init(_ code: rd_kafka_resp_err_t, context: String) {
        let transient: Set<rd_kafka_resp_err_t> = [
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        ]
        self.init(
            code: code.rawValue,
            isRetriable: transient.contains(code),
            isFatal: code == RD_KAFKA_RESP_ERR__FATAL,
            context: context,
            message: String(cString: rd_kafka_err2str(code))
        )
    }

    /// Takes ownership of an `rd_kafka_error_t` and frees it.
    init(consuming error: OpaquePointer, context: String) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            context: context,
            message: String(cString: rd_kafka_error_string(error))
        )
    }

    static func configuration(_ property: String, _ message: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, isRetriable: false, context: "configuration: \(property)", message: message)
    }

    var isQueueFull: Bool { code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue }

    public var description: String { "kafka error in \(context): \(message)" }
    public var debugDescription: String {
        "KafkaError(code: \(code), retriable: \(isRetriable), fatal: \(isFatal), context: \(context), message: \(message))"
    }
}

extension String {
    /// Reads a C error buffer librdkafka filled in.
    init(cString buffer: [CChar], truncatingNull: Void) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
