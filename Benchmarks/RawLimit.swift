import CLibPQ
import CRDKafka
import Foundation
import Postgres
import TestSupport

/// The floor: librdkafka's own consumer and libpq's `COPY … FROM STDIN`, no
/// decoding, no signature check, no validation, no results. Each polled batch
/// (up to 10 000 records) becomes one COPY into `raw_records`; offsets are
/// committed automatically. Runs on one dedicated thread.
enum RawLimit {
    struct Outcome {
        var seconds: Double
        var rows: Int
        /// Seconds until the first record arrived (joining the group, first fetch).
        var firstRecord: Double
        /// Seconds spent in COPY.
        var copying: Double
    }

    static func run(bootstrapServers: String, topic: String, expected: Int, database: PostgresConfiguration) async throws -> Outcome {
        try await blocking { try runBlocking(bootstrapServers: bootstrapServers, topic: topic, expected: expected, database: database) }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    private static func runBlocking(bootstrapServers: String, topic: String, expected: Int, database: PostgresConfiguration) throws -> Outcome {
        let connection = PQconnectdb("host=\(database.host) port=\(database.port) user=\(database.user) dbname=\(database.database) sslmode=disable")
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else { throw Failure(description: "connect: \(String(cString: PQerrorMessage(connection)))") }
        try exec(connection, EntryTables.rawRecords)

        let started = now()
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in [
            ("bootstrap.servers", bootstrapServers), ("group.id", "bench-raw-\(UUID().uuidString.prefix(8))"),
            ("auto.offset.reset", "earliest"), ("enable.auto.commit", "true"), ("enable.partition.eof", "false"),
            // The group timing the services use (the Kafka library's defaults).
            ("session.timeout.ms", "6000"), ("heartbeat.interval.ms", "2000"),
        ] {
            guard rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                throw Failure(description: errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            }
        }
        guard let consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errorText, errorText.count) else {
            throw Failure(description: errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        defer {
            rd_kafka_consumer_close(consumer)
            rd_kafka_destroy(consumer)
        }
        rd_kafka_poll_set_consumer(consumer)
        let topics = rd_kafka_topic_partition_list_new(1)!
        rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
        rd_kafka_subscribe(consumer, topics)
        rd_kafka_topic_partition_list_destroy(topics)
        let queue = rd_kafka_queue_get_consumer(consumer)!
        defer { rd_kafka_queue_destroy(queue) }

        let batchSize = 10_000
        var pointers = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: batchSize)
        var buffer = [UInt8]()
        buffer.reserveCapacity(16 << 20)
        var copied = 0
        var firstRecord: Double?
        var copying = 0.0
        let hex = Array("0123456789abcdef".utf8)
        func append(_ text: String) { buffer.append(contentsOf: text.utf8) }
        while copied < expected {
            let count = rd_kafka_consume_batch_queue(queue, 20, &pointers, batchSize)
            guard count > 0 else { continue }
            if firstRecord == nil { firstRecord = now() }
            buffer.removeAll(keepingCapacity: true)
            var rows = 0
            for pointer in pointers.prefix(count) {
                guard let pointer else { continue }
                defer { rd_kafka_message_destroy(pointer) }
                let message = pointer.pointee
                guard message.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                append(String(message.partition))
                buffer.append(9)
                append(String(message.offset))
                buffer.append(9)
                buffer.append(contentsOf: UnsafeRawBufferPointer(start: message.key, count: message.key_len))
                buffer.append(9)
                buffer.append(contentsOf: [92, 92, UInt8(ascii: "x")])
                for byte in UnsafeRawBufferPointer(start: message.payload, count: message.len) {
                    buffer.append(hex[Int(byte >> 4)])
                    buffer.append(hex[Int(byte & 15)])
                }
                buffer.append(9)
                var headers: OpaquePointer?
                var value: UnsafeRawPointer?
                var size = 0
                if rd_kafka_message_headers(pointer, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR,
                    rd_kafka_header_get_last(headers, "asysta-signature", &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR
                {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(start: value, count: size))
                }
                buffer.append(10)
                rows += 1
            }
            guard rows > 0 else { continue }
            let copyStarted = now()
            defer { copying += now() - copyStarted }
            try copy(connection, "COPY raw_records (record_partition, record_offset, participant_id, record, signature) FROM STDIN", buffer)
            copied += rows
        }
        let seconds = now() - started
        return Outcome(seconds: seconds, rows: copied, firstRecord: (firstRecord ?? started) - started, copying: copying)
    }

    private static func exec(_ connection: OpaquePointer?, _ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw Failure(description: "\(sql.prefix(40)): \(String(cString: PQerrorMessage(connection)))")
        }
    }

    private static func copy(_ connection: OpaquePointer?, _ sql: String, _ data: [UInt8]) throws {
        let start = PQexec(connection, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            PQclear(start)
            throw Failure(description: "COPY: \(String(cString: PQerrorMessage(connection)))")
        }
        PQclear(start)
        let sent = data.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1, PQputCopyEnd(connection, nil) == 1 else {
            throw Failure(description: "COPY data: \(String(cString: PQerrorMessage(connection)))")
        }
        var failure: String?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK { failure = String(cString: PQerrorMessage(connection)) }
            PQclear(result)
        }
        if let failure { throw Failure(description: "COPY: \(failure)") }
    }
}

/// librdkafka's version string, for the results.
var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }
