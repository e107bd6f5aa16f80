import ArgumentParser
import Crypto
import Domain
import EventJSON
import Foundation
import Kafka
import Logging
import Synchronization

/// One record an NGO system publishes, and what the demo meant by it.
struct NGORecord: Sendable {
    var entry: TimesheetEntrySubmitted
    var key: SigningKey
    /// Shown next to the answer: why this record is in the demo.
    var intent: String
    /// Signed with a secret that is not the NGO's (the demo's forged record).
    var forged = false

    var answerKey: String { "\(entry.providerID)|\(entry.entryID)|\(entry.sequence)" }

    /// The record as the NGO guide describes it: CloudEvents JSON keyed by the
    /// participant, HMAC-SHA256 over the exact bytes in `asysta-signature`.
    func message(topic: String) throws -> KafkaOutgoingMessage {
        let value = try EventCodec.encode(EventEnvelope(source: "/providers/\(entry.providerID)", subject: entry.participantID.rawValue, data: entry))
        var secret = try Self.bytes(hex: key.secretHex)
        if forged { secret = secret.map { $0 ^ 0x5a } }
        let mac = HMAC<SHA256>.authenticationCode(for: value, using: SymmetricKey(data: secret))
        let signature = "keyId=\(key.keyId),alg=hmac-sha256,sig=" + mac.map { String(format: "%02x", $0) }.joined()
        return KafkaOutgoingMessage(
            topic: topic, key: Array(entry.participantID.rawValue.utf8), value: value,
            headers: [KafkaHeader(key: "asysta-signature", value: Array(signature.utf8))])
    }

    static func bytes(hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw ValidationError("a key's secretHex has an odd length") }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                throw ValidationError("a key's secretHex is not hex")
            }
            return byte
        }
    }
}

/// Timesheet's answer to one record, from the results topic.
struct EntryAnswer: Decodable, Sendable {
    var type: String
    var data: Payload
    struct Payload: Decodable, Sendable {
        var providerID: String
        var entryID: String
        var sequence: Int
        var code: String?
        var message: String?
        var minutes: Int?
    }
    var key: String { "\(data.providerID)|\(data.entryID)|\(data.sequence)" }
    var outcome: String { String(type.split(separator: ".").dropFirst(2).first ?? Substring(type)) }
}

/// Publishes the records, then reads the results topic until each has its
/// answer. A record the consumer loop cannot even decode gets none (it is
/// dead-lettered); after `grace` seconds without one, the rest are looked up
/// on the submissions' dead-letter topic.
func publishAndCollect(_ records: [NGORecord], kafka: KafkaOptions, grace: Double = 8) async throws -> [String: String] {
    let configuration = try kafka.configuration()
    let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: Logger(label: "asysta-demo"))
    let messages = try records.map { try $0.message(topic: kafka.topicPrefix + Topic.timesheetSubmissions.name) }
    for result in try await running(producer, { await producer.send(messages) }) { _ = try result.get() }

    let wanted = Set(records.map(\.answerKey))
    var consumerConfiguration = KafkaConsumerConfiguration(
        kafka: configuration, groupID: "asysta-demo-\(UUID())", topics: [kafka.topicPrefix + Topic.timesheetResults.name])
    consumerConfiguration.autoOffsetReset = .earliest
    let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: Logger(label: "asysta-demo"))
    let collected = Collected()
    var answers = try await running(consumer) {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for try await batch in consumer.batches {
                    for message in batch {
                        guard let answer = try? JSONDecoder().decode(EntryAnswer.self, from: Data(message.value)), wanted.contains(answer.key) else {
                            continue
                        }
                        let text =
                            answer.outcome
                            + (answer.data.code.map { " \($0): " + (answer.data.message ?? "") } ?? answer.data.minutes.map { " \($0) min" } ?? "")
                        collected.state.withLock {
                            $0.answers[answer.key] = text
                            $0.last = .now
                        }
                    }
                }
            }
            defer { tasks.cancelAll() }
            // Done when every record is answered, or nothing new came for `grace` seconds (at most 45 s in all).
            let deadline = ContinuousClock.now + .seconds(45)
            while ContinuousClock.now < deadline {
                let (count, last) = collected.state.withLock { ($0.answers.count, $0.last) }
                if count == wanted.count || (count > 0 && ContinuousClock.now - last > .seconds(grace)) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            return collected.state.withLock { $0.answers }
        }
    }
    let missing = records.filter { answers[$0.answerKey] == nil }
    if !missing.isEmpty {
        for letter in try await readAll(kafka.topicPrefix + Topic.timesheetSubmissions.deadLetter, configuration: configuration) {
            let text = String(decoding: letter.value, as: UTF8.self)
            for record in missing
            where text.contains("\"entryID\":\"\(record.entry.entryID)\"") && text.contains("\"sequence\":\(record.entry.sequence)") {
                answers[record.answerKey] = "dead-lettered \(letter.header("asysta-dlq-reason").text): \(letter.header("asysta-dlq-message").text)"
            }
        }
    }
    return answers
}

/// Answers read so far and when the last one came, shared by the reader and the waiter.
final class Collected: Sendable {
    let state = Mutex<(answers: [String: String], last: ContinuousClock.Instant)>(([:], .now))
}
