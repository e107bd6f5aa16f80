import Foundation
import ServiceRuntime

/// Settings for running a service in a test: a fresh database on the test
/// cluster, the test broker, an ephemeral HTTP port, the tokens' secret, and a topic prefix and
/// consumer group of its own so concurrent tests never see each other's events.
public enum TestSettings {
    /// - Parameter namespace: shared by the services of one test that must talk to each other.
    public static func make(service: String, namespace: String, extra: [String: String] = [:]) async throws -> Settings {
        let database = try await TestPostgres.shared.createDatabase(prefix: service)
        var settings = Settings()
        settings.set("http.port", "0")
        settings.set("postgres.host", database.host)
        settings.set("postgres.port", "\(database.port)")
        settings.set("postgres.user", database.user)
        settings.set("postgres.database", database.database)
        settings.set("postgres.pool_size", "4")
        settings.set("kafka.bootstrap_servers", TestBroker.shared.bootstrapServers)
        settings.set("kafka.topic_prefix", namespace + ".")
        settings.set("kafka.consumer_group_prefix", namespace)
        settings.set("kafka.partitions", "3")
        settings.set("log.level", "warning")
        settings.set("auth.jwks", TestTokens.trustedKeys)
        for (key, value) in extra { settings.set(key, value) }
        return settings
    }

    /// A namespace no other test uses.
    public static func uniqueNamespace(_ label: String) -> String {
        "t\(UUID().uuidString.prefix(8).lowercased())-\(label)"
    }
}
