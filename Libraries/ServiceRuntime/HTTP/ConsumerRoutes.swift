import Hummingbird
import Kafka

/// How far behind this service's consumer groups are (operators only):
/// `GET /admin/consumers` answers, per group and topic, the offsets committed,
/// the end of the topic and the records not yet processed, as `asysta-admin lag` does.
public struct ConsumerRoutes<Context: CallerRequestContext>: Sendable {
    let readers: [KafkaLagReader]

    public init(consumers: [KafkaConsumer], kafka: KafkaConfiguration) {
        readers = consumers.map { KafkaLagReader(groupID: $0.subscription.groupID, topics: $0.subscription.topics, configuration: kafka) }
    }

    struct Lag: Encodable, Sendable {
        var group: String
        var topic: String
        var committed: Int64
        var end: Int64
        var lag: Int64
    }

    struct Lags: Encodable, Sendable {
        var consumers: [Lag]
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("admin/consumers") { _, context in
            try context.require(.operator)
            var lags: [Lag] = []
            for reader in readers {
                let partitions: [KafkaPartitionLag]
                do {
                    partitions = try await reader.lag(timeout: .seconds(5))
                } catch {
                    throw APIError(.serviceUnavailable, code: "broker-unavailable", message: "the broker did not answer: \(error)")
                }
                lags += KafkaTopicLag.byTopic(partitions).map {
                    Lag(group: reader.groupID, topic: $0.topic, committed: $0.committed, end: $0.highWatermark, lag: $0.lag)
                }
            }
            return JSONBody(Lags(consumers: lags))
        }
    }
}
