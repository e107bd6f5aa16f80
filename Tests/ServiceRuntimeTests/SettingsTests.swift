import Foundation
import ServiceRuntime
import Testing

@Suite("Settings")
struct SettingsTests {
    static let file = ["http.port": "8081", "kafka.properties.fetch.wait.max.ms": "500", "kafka.properties.linger.ms": "5"]

    @Test func theEnvironmentOverridesAKey() throws {
        let settings = Settings(file: Self.file, environment: ["ASYSTA_HTTP_PORT": "9000"])
        #expect(try settings.int("http.port", default: 0) == 9000)
    }

    /// A container sets librdkafka properties as it sets every other key.
    @Test func theEnvironmentOverridesAndAddsKeysOfASection() {
        let settings = Settings(
            file: Self.file,
            environment: [
                "ASYSTA_KAFKA_PROPERTIES_FETCH_WAIT_MAX_MS": "10", "ASYSTA_KAFKA_PROPERTIES_QUEUE_BUFFERING_MAX_MS": "1", "ASYSTA_HTTP_PORT": "9000",
            ])
        #expect(settings.section("kafka.properties") == ["fetch.wait.max.ms": "10", "linger.ms": "5", "queue.buffering.max.ms": "1"])
    }
}
