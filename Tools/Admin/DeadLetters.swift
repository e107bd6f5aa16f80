import ArgumentParser
import Domain
import Foundation
import Kafka
import Logging
import ServiceLifecycle

struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List the records a consumer parked, or send them back after a fix.",
        subcommands: [List.self, Replay.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every dead letter of a topic: offset, reason and message.")
        @OptionGroup var kafka: KafkaOptions
        @Argument(help: "The topic whose dead letters to read, e.g. asysta.timesheet.submissions.") var topic: String

        func run() async throws {
            for letter in try await readAll(kafka.topicPrefix + topic + ".dlq", configuration: try kafka.configuration()) {
                print(
                    "\(letter.offset)\t\(letter.header("asysta-dlq-reason").text)\t\(letter.header("asysta-dlq-consumer-group").text)\t\(letter.header("asysta-dlq-message").text)"
                )
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish dead letters again on their original topic, with their original key and headers.")
        @OptionGroup var kafka: KafkaOptions
        @Argument(help: "The topic whose dead letters to replay.") var topic: String
        @Option(help: "Only the dead letter at this offset of the .dlq topic.") var offset: Int64?
        @Option(help: "Only dead letters with this reason code.") var reason: String?

        func run() async throws {
            let configuration = try kafka.configuration()
            let letters = try await readAll(kafka.topicPrefix + topic + ".dlq", configuration: configuration)
                .filter { offset == nil || $0.offset == offset }
                .filter { reason == nil || $0.header("asysta-dlq-reason").text == reason }
            let messages = letters.map { letter in
                KafkaOutgoingMessage(
                    topic: letter.header("asysta-dlq-topic").text,
                    key: letter.key,
                    value: letter.value,
                    headers: letter.headers.filter { !$0.key.hasPrefix("asysta-dlq-") }
                )
            }
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: Logger(label: "asysta-admin"))
            let results = try await running(producer) { await producer.send(messages) }
            for (letter, result) in zip(letters, results) {
                switch result {
                case let .success(report): print("replayed dlq offset \(letter.offset) → \(report.topic)/\(report.partition)@\(report.offset)")
                case let .failure(error): print("dlq offset \(letter.offset) not replayed: \(error)")
                }
            }
        }
    }
}

/// Reads a topic from the beginning to its current end with a throwaway group.
func readAll(_ topic: String, configuration: KafkaConfiguration) async throws -> [KafkaMessage] {
    let lag = try await KafkaAdmin.lag(groupID: "asysta-admin-\(UUID())", topics: [topic], configuration: configuration)
    let total = lag.map(\.highWatermark).reduce(0, +)
    guard total > 0 else { return [] }
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(kafka: configuration, groupID: "asysta-admin-\(UUID())", topics: [topic]),
        logger: Logger(label: "asysta-admin")
    )
    return try await running(consumer) {
        var messages: [KafkaMessage] = []
        for try await batch in consumer.batches {
            messages += batch
            if messages.count >= total { break }
        }
        return messages.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}

/// Runs a client's service loop around `body`.
func running<T: Sendable>(_ service: some Service, _ body: @Sendable () async throws -> T) async throws -> T {
    let group = ServiceGroup(services: [service], logger: Logger(label: "asysta-admin"))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        defer { tasks.cancelAll() }
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

extension Optional where Wrapped == [UInt8] {
    var text: String { self.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
