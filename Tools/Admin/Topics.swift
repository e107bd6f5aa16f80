import ArgumentParser
import Domain
import Kafka

struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create every topic of the suite and its dead-letter topic.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Partitions of each topic.") var partitions: Int32 = 6
    @Option(help: "Replication factor (-1: the broker's default).") var replicationFactor: Int16 = -1

    func run() async throws {
        let specs = Topic.all.flatMap { topic in
            [
                KafkaTopicSpec(name: kafka.topicPrefix + topic.name, partitions: partitions, replicationFactor: replicationFactor),
                KafkaTopicSpec(name: kafka.topicPrefix + topic.deadLetter, partitions: 1, replicationFactor: replicationFactor),
            ]
        }
        try await KafkaAdmin.createTopics(specs, configuration: try kafka.configuration())
        for spec in specs { print("\(spec.name)\t\(spec.partitions) partitions") }
    }
}
