import Logging
import Metrics
import Prometheus
import Synchronization

/// Process-wide logging and metrics, bootstrapped once: both systems are global by design.
public enum Observability {
    private static let registryOnce = Mutex<PrometheusCollectorRegistry?>(nil)

    /// JSON-lines logging at `level`, and swift-metrics into a Prometheus registry.
    /// Calling it again returns the same registry (tests start several apps in one process).
    @discardableResult
    public static func bootstrap(level: Logger.Level) -> PrometheusCollectorRegistry {
        registryOnce.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
            registry = created
            return created
        }
    }
}
