import Kafka
import Postgres

extension Settings {
    /// `postgres.url`, or its parts `postgres.host`, `.port`, `.user`, `.password`, `.database`.
    public func postgres(defaultDatabase: String) throws -> PostgresConfiguration {
        var configuration: PostgresConfiguration
        if let url = string("postgres.url") {
            configuration = try PostgresConfiguration(url: url)
        } else {
            configuration = PostgresConfiguration(
                host: string("postgres.host", default: "127.0.0.1"),
                port: try int("postgres.port", default: 5432),
                user: string("postgres.user", default: defaultDatabase),
                password: string("postgres.password"),
                database: string("postgres.database", default: defaultDatabase)
            )
        }
        configuration.poolSize = try int("postgres.pool_size", default: configuration.poolSize)
        configuration.applicationName = "asysta-" + defaultDatabase
        return configuration
    }

    /// `kafka.bootstrap_servers` and the security settings; any librdkafka
    /// property can be passed as `kafka.properties.<name>` in the file, as
    /// `ASYSTA_KAFKA_PROPERTIES_<NAME>` or as `ASYSTA_KAFKA_PROPERTIES="name=value,name=value"`.
    public func kafka(clientID: String) throws -> KafkaConfiguration {
        let servers = list("kafka.bootstrap_servers")
        guard !servers.isEmpty else { throw SettingsError.missing("kafka.bootstrap_servers") }
        var properties = section("kafka.properties")
        for pair in list("kafka.properties") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw SettingsError.invalid("kafka.properties", "name=value pairs separated by commas") }
            properties[parts[0]] = parts[1]
        }
        return KafkaConfiguration(bootstrapServers: servers, clientID: clientID, security: try kafkaSecurity(), properties: properties)
    }

    private func kafkaSecurity() throws -> KafkaSecurity {
        let tls = KafkaSecurity.TLS(
            caLocation: string("kafka.ssl_ca_location"),
            certificateLocation: string("kafka.ssl_certificate_location"),
            keyLocation: string("kafka.ssl_key_location"),
            keyPassword: string("kafka.ssl_key_password")
        )
        func sasl() throws -> KafkaSecurity.SASL {
            let mechanism: KafkaSecurity.SASL.Mechanism =
                switch string("kafka.sasl_mechanism", default: "SCRAM-SHA-512").uppercased() {
                case "PLAIN": .plain
                case "SCRAM-SHA-256": .scramSHA256
                case "SCRAM-SHA-512": .scramSHA512
                default: throw SettingsError.invalid("kafka.sasl_mechanism", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
                }
            return KafkaSecurity.SASL(
                mechanism: mechanism, username: try require("kafka.sasl_username"), password: try require("kafka.sasl_password"))
        }
        switch string("kafka.security_protocol", default: "plaintext").lowercased() {
        case "plaintext": return .plaintext
        case "ssl": return .ssl(tls)
        case "sasl_plaintext": return .saslPlaintext(try sasl())
        case "sasl_ssl": return .saslSSL(try sasl(), tls)
        default: throw SettingsError.invalid("kafka.security_protocol", "plaintext, ssl, sasl_plaintext or sasl_ssl")
        }
    }
}
