/// What producer, consumer and admin share: where the brokers are and how to
/// talk to them.
public struct KafkaConfiguration: Sendable {
    /// "host:port" of one or more brokers.
    public var bootstrapServers: [String]
    public var clientID: String
    public var security: KafkaSecurity
    /// Any other librdkafka property, applied last so it can override ours.
    public var properties: [String: String]

    public init(bootstrapServers: [String], clientID: String = "asysta", security: KafkaSecurity = .plaintext, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
        self.properties = properties
    }

    var librdkafkaProperties: [(String, String)] {
        [("bootstrap.servers", bootstrapServers.joined(separator: ",")), ("client.id", clientID)]
            + security.librdkafkaProperties
            + properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// How clients authenticate and encrypt: what a production cluster (SASL/SCRAM
/// over TLS) needs, expressed as types rather than property strings.
public enum KafkaSecurity: Sendable {
    case plaintext
    case ssl(TLS)
    case saslPlaintext(SASL)
    case saslSSL(SASL, TLS)

    public struct TLS: Sendable {
        public var caLocation: String?
        public var certificateLocation: String?
        public var keyLocation: String?
        public var keyPassword: String?

        public init(caLocation: String? = nil, certificateLocation: String? = nil, keyLocation: String? = nil, keyPassword: String? = nil) {
            self.caLocation = caLocation
            self.certificateLocation = certificateLocation
            self.keyLocation = keyLocation
            self.keyPassword = keyPassword
        }
    }

    public struct SASL: Sendable {
        public enum Mechanism: String, Sendable {
            case plain = "PLAIN"
            case scramSHA256 = "SCRAM-SHA-256"
            case scramSHA512 = "SCRAM-SHA-512"
        }

        public var mechanism: Mechanism
        public var username: String
        public var password: String

        public init(mechanism: Mechanism, username: String, password: String) {
            self.mechanism = mechanism
            self.username = username
            self.password = password
        }
    }

    var librdkafkaProperties: [(String, String)] {
        func tls(_ tls: TLS) -> [(String, String)] {
            [
                ("ssl.ca.location", tls.caLocation), ("ssl.certificate.location", tls.certificateLocation),
                ("ssl.key.location", tls.keyLocation), ("ssl.key.password", tls.keyPassword),
            ]
            .compactMap { key, value in value.map { (key, $0) } }
        }
        func sasl(_ sasl: SASL) -> [(String, String)] {
            [("sasl.mechanism", sasl.mechanism.rawValue), ("sasl.username", sasl.username), ("sasl.password", sasl.password)]
        }
        switch self {
        case .plaintext: return [("security.protocol", "plaintext")]
        case let .ssl(settings): return [("security.protocol", "ssl")] + tls(settings)
        case let .saslPlaintext(settings): return [("security.protocol", "sasl_plaintext")] + sasl(settings)
        case let .saslSSL(credentials, settings): return [("security.protocol", "sasl_ssl")] + sasl(credentials) + tls(settings)
        }
    }
}

public struct KafkaProducerConfiguration: Sendable {
    public var kafka: KafkaConfiguration
    /// How long the producer waits to fill a batch; a few milliseconds buys large batches.
    public var linger: Duration = .milliseconds(5)
    /// How long a message may take to be acknowledged before its send fails.
    public var deliveryTimeout: Duration = .seconds(30)
    public var compression: String = "lz4"

    public init(kafka: KafkaConfiguration) {
        self.kafka = kafka
    }

    /// Idempotence and acks=all are not options: they are what makes the outbox's
    /// "published once acknowledged" true.
    var librdkafkaProperties: [(String, String)] {
        [
            ("enable.idempotence", "true"), ("acks", "all"),
            ("linger.ms", "\(linger.wholeMilliseconds)"), ("delivery.timeout.ms", "\(deliveryTimeout.wholeMilliseconds)"),
            ("compression.codec", compression),
        ] + kafka.librdkafkaProperties
    }
}

public struct KafkaConsumerConfiguration: Sendable {
    public enum AutoOffsetReset: String, Sendable {
        case earliest, latest
    }

    public var kafka: KafkaConfiguration
    public var groupID: String
    public var topics: [String]
    public var sessionTimeout: Duration = .seconds(6)
    public var autoOffsetReset: AutoOffsetReset = .earliest
    /// The most records handed over in one batch.
    public var maxBatchSize: Int = 500
    /// How long the broker may hold a fetch that finds nothing new (librdkafka's
    /// `fetch.wait.max.ms`, 500 ms by default). Kafka answers a fetch as soon as a
    /// record arrives, but a broker need not: the local one holds it for the whole
    /// wait, which put 330 ms on a quiet service's answers (p50 at 10 entries/s,
    /// `scripts/bench`). A short wait bounds that on any broker; it costs an idle
    /// consumer one empty fetch per wait, and a backlog's fetches come back full anyway.
    /// Not shorter: at 10 ms the local broker spent half a core answering two idle
    /// consumers' empty fetches (28–33 % at 25 ms), for no gain at 10 entries/s.
    public var fetchWait: Duration = .milliseconds(25)

    public init(kafka: KafkaConfiguration, groupID: String, topics: [String]) {
        self.kafka = kafka
        self.groupID = groupID
        self.topics = topics
    }

    /// Offsets are stored only by `storeOffsets` once an effect is durable; librdkafka
    /// then commits what was stored, periodically and when partitions are revoked.
    var librdkafkaProperties: [(String, String)] {
        [
            ("group.id", groupID), ("enable.auto.offset.store", "false"), ("enable.auto.commit", "true"),
            ("auto.offset.reset", autoOffsetReset.rawValue), ("session.timeout.ms", "\(sessionTimeout.wholeMilliseconds)"),
            ("heartbeat.interval.ms", "\(max(sessionTimeout.wholeMilliseconds / 3, 100))"),
            ("enable.partition.eof", "false"), ("fetch.wait.max.ms", "\(fetchWait.wholeMilliseconds)"),
        ] + kafka.librdkafkaProperties
    }
}

extension Duration {
    /// librdkafka's settings and our logs count whole milliseconds.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
