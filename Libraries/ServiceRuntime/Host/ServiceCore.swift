import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// What every executable is made of, with or without a database, a broker or
/// bearer tokens: settings, JSON logs, Prometheus metrics, the health routes and
/// the application that serves them. The five services add token checks, a
/// database and the broker (`ServiceHost`); the portal adds a database only.
public struct ServiceCore: Sendable {
    public let name: String
    public let settings: Settings
    public let logger: Logger
    public let registry: PrometheusCollectorRegistry

    public init(name: String, settings: Settings) async throws {
        let level = Logger.Level(rawValue: settings.string("log.level", default: "info")) ?? .info
        registry = Observability.bootstrap(level: level)
        var logger = Logger(label: "asysta.\(name)")
        logger.logLevel = level
        self.name = name
        self.settings = settings
        self.logger = logger
    }

    /// The application: `router` plus health (ready when every check passes) and
    /// metrics, a `405` for a known path asked with another method, and `services`
    /// in start order (they stop in reverse, after HTTP).
    public func application<Context: RequestContext>(
        router: Router<Context>, readiness checks: [String: @Sendable () async -> Bool], services: [any Service]
    ) throws -> some ApplicationProtocol where Context.Source == ApplicationRequestContextSource {
        HealthRoutes<Context>(checks: checks, registry: registry).addRoutes(to: router)
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(settings.string("http.host", default: "127.0.0.1"), port: try settings.int("http.port", default: 8080)),
                serverName: "asysta-\(name)"
            ),
            services: services,
            logger: logger
        )
    }
}
