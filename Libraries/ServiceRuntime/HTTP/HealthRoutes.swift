import Hummingbird
import Prometheus

/// `/health/live` says the process answers; `/health/ready` that it can do its
/// work (PostgreSQL and Kafka reachable), so orchestrators route traffic only
/// then; `/metrics` is the Prometheus text exposition.
public struct HealthRoutes<Context: RequestContext>: Sendable {
    public var checks: [String: @Sendable () async -> Bool]
    public var registry: PrometheusCollectorRegistry

    public init(checks: [String: @Sendable () async -> Bool], registry: PrometheusCollectorRegistry) {
        self.checks = checks
        self.registry = registry
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("health/live") { _, _ in
            JSONBody(["status": "up"])
        }
        router.get("health/ready") { _, _ in
            var results: [String: String] = [:]
            await withTaskGroup(of: (String, Bool).self) { group in
                for (name, check) in checks { group.addTask { (name, await check()) } }
                for await (name, ok) in group { results[name] = ok ? "up" : "down" }
            }
            let ready = results.values.allSatisfy { $0 == "up" }
            return JSONBody(results, status: ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
