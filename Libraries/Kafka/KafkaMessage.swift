import FoundationEssentials

public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// One consumed record, copied out of librdkafka's memory.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    public var timestamp: Date?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [], timestamp: Date? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The last header with this key.
    public func header(_ key: String) -> [UInt8]? {
        headers.last { $0.key == key }?.value
    }
}

public struct KafkaOutgoingMessage: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]

    public init(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Where the broker stored an acknowledged message.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

public struct KafkaTopicSpec: Sendable {
    public var name: String
    public var partitions: Int32
    /// -1 leaves it to the broker's default.
    public var replicationFactor: Int16
    public var config: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int16 = -1, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

public struct KafkaPartitionLag: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// -1 when the group has committed nothing there yet.
    public var committed: Int64
    public var highWatermark: Int64
    public var lag: Int64 { highWatermark - max(committed, 0) }
}

/// A group's progress on one topic: its partitions summed.
public struct KafkaTopicLag: Sendable, Hashable {
    public var topic: String
    public var committed: Int64
    public var highWatermark: Int64
    public var lag: Int64

    /// One per topic, in topic order.
    public static func byTopic(_ partitions: [KafkaPartitionLag]) -> [KafkaTopicLag] {
        Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, rows in
            KafkaTopicLag(
                topic: topic, committed: rows.map { max($0.committed, 0) }.reduce(0, +), highWatermark: rows.map(\.highWatermark).reduce(0, +),
                lag: rows.map(\.lag).reduce(0, +))
        }
    }
}
