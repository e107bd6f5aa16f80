import ArgumentParser

/// The operator's tool for what happens outside the services' APIs: topics,
/// dead letters, parked outbox events, consumer lag, and the operator actions of timesheet and reporting.
@main
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asysta-admin",
        abstract: "Operate an Asysta deployment.",
        subcommands: [
            Token.self, Keys.self, Demo.self, Topics.self, DeadLetters.self, Outbox.self, Lag.self, Providers.self, Months.self, Reporting.self,
        ]
    )
}

/// Where the brokers are, with the same settings the services read.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Comma-separated host:port list (default: ASYSTA_KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:59092).")
    var bootstrapServers: String?

    @Option(help: "Topic prefix the deployment uses (kafka.topic_prefix).")
    var topicPrefix: String = ""
}
