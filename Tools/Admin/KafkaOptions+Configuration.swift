import Foundation
import Kafka
import ServiceRuntime

extension KafkaOptions {
    /// The brokers from the option, else from the same settings the services read
    /// (`ASYSTA_KAFKA_*`, including SASL and TLS).
    func configuration() throws -> KafkaConfiguration {
        var settings = try Settings.load(arguments: [])
        if let bootstrapServers { settings.set("kafka.bootstrap_servers", bootstrapServers) }
        if settings.string("kafka.bootstrap_servers") == nil { settings.set("kafka.bootstrap_servers", "127.0.0.1:59092") }
        return try settings.kafka(clientID: "asysta-admin")
    }
}
