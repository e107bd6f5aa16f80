import Crypto
import Domain
import EventJSON
import Foundation
import Kafka
import Logging
import Postgres

/// What a simple service would do: read with the shared consumer, decode each
/// record, check its signature, and write it in a transaction of its own —
/// BEGIN, one INSERT, COMMIT per entry — then store the batch's offsets. No
/// rules and no answers on the results topic, so it is a generous baseline.
enum NaiveBaseline {
    struct Outcome {
        var seconds: Double
        var rows: Int
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(
        kafka: KafkaConfiguration, topic: String, expected: Int, database: PostgresConfiguration,
        keys: [String: [UInt8]], logger: Logger
    ) async throws -> Outcome {
        var configuration = database
        configuration.poolSize = 1
        let pool = PostgresPool(configuration: configuration, logger: logger)
        try await pool.withConnection { try await $0.execute(PostgresQuery(unsafeSQL: try EntryTables.entryVersions)) }
        let symmetric = keys.mapValues { SymmetricKey(data: $0) }

        let started = now()
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "bench-naive-\(UUID().uuidString.prefix(8))", topics: [topic]),
            logger: logger)
        let serving = Task { try await consumer.run() }
        var written = 0
        for try await batch in consumer.batches {
            for message in batch {
                let entry = try EventCodec.decode(TimesheetEntrySubmitted.self, from: message.value)
                guard let header = message.header("asysta-signature").map({ String(decoding: $0, as: UTF8.self) }) else {
                    throw Failure(description: "unsigned")
                }
                let fields = header.split(separator: ",")
                let keyID = String(fields[0].dropFirst("keyId=".count))
                let sig = String(fields[2].dropFirst("sig=".count))
                guard let key = symmetric[keyID] else { throw Failure(description: "unknown key \(keyID)") }
                let mac = HMAC<SHA256>.authenticationCode(for: message.value, using: key).map { String(format: "%02x", $0) }.joined()
                guard mac == sig else { throw Failure(description: "bad signature") }
                let data = entry.data
                let record = Data(message.value)
                try await pool.withTransaction { connection in
                    try await connection.execute(
                        """
                        INSERT INTO entry_versions (provider_id, entry_id, sequence, action, assistant_id, order_id, participant_id,
                                                    start_at, end_at, activity, reason, event_id, record, signature)
                        VALUES (\(data.providerID.rawValue), \(data.entryID), \(data.sequence), \(data.action.rawValue), \(data.assistantID.rawValue),
                                \(data.orderID.rawValue), \(data.participantID.rawValue), \(data.start), \(data.end), \(data.activity.rawValue),
                                \(data.reason), \(entry.id), \(record), \(header))
                        ON CONFLICT DO NOTHING
                        """)
                }
                written += 1
            }
            try consumer.storeOffsets(for: batch)
            if written >= expected { break }
        }
        let seconds = now() - started
        serving.cancel()
        _ = await serving.result
        await pool.close()
        return Outcome(seconds: seconds, rows: written)
    }
}
