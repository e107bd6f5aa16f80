import ArgumentParser
import Domain
import Kafka

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show each service's consumer lag per topic: what it has not processed yet.")
    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Consumer group prefix (kafka.consumer_group_prefix).") var groupPrefix: String = "asysta"

    /// The topics each consumer group (`<prefix>-<name>`) reads, as the canvases say.
    static let consumed: [(String, [Topic])] = [
        ("eligibility", [.applications]),
        ("ordering", [.editions, .decisions, .timesheetResults]),
        ("timesheet", [.timesheetSubmissions]),
        // Reference data has its own group, so it never waits behind a backlog of entries.
        ("timesheet-reference", [.editions, .decisions, .providers, .orders]),
        ("reporting", [.editions, .decisions, .providers, .orders, .timesheetResults, .timesheetPeriods]),
    ]

    func run() async throws {
        let configuration = try kafka.configuration()
        print("group\ttopic\tcommitted\tend\tlag")
        for (service, topics) in Self.consumed {
            let group = "\(groupPrefix)-\(service)"
            let lags = try await KafkaAdmin.lag(groupID: group, topics: topics.map { kafka.topicPrefix + $0.name }, configuration: configuration)
            for topic in KafkaTopicLag.byTopic(lags) {
                print("\(group)\t\(topic.topic)\t\(topic.committed)\t\(topic.highWatermark)\t\(topic.lag)")
            }
        }
    }
}
