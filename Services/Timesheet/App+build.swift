import Domain
import FoundationEssentials
import Hummingbird
import Messaging
import Postgres
import ServiceRuntime

/// Wires the timesheet service and returns it as an application.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await TimesheetService(settings: settings).application()
}

/// The timesheet service's parts, kept apart so tests reach its router and storage.
struct TimesheetService {
    /// Timesheet consumes the NGOs' entries and the reference data, and answers on results and periods.
    static let topics: [Topic] = [.timesheetSubmissions, .timesheetResults, .timesheetPeriods, .editions, .decisions, .providers, .orders]

    let host: ServiceHost
    let router: Router<ServiceRequestContext>
    let referenceHandlers: EventHandlers
    let entryHandlers: EventHandlers

    init(settings: Settings) async throws {
        // Settings first, so a bad value fails before anything connects.
        let policy = TimesheetPolicy(orderTolerance: TimeInterval(try settings.int("timesheet.order_tolerance_minutes", default: 0) * 60))
        let grace = Duration.seconds(try settings.int("timesheet.key_grace_seconds", default: 86400))

        host = try await ServiceHost(
            name: "timesheet", settings: settings, migrations: try MigrationRunner.parse(EmbeddedFiles.migrations), topics: Self.topics)
        let keys = KeyStore(pool: host.pool, grace: grace)
        referenceHandlers = ReferenceHandlers.make()
        entryHandlers = SubmissionHandler.make(store: EntryStore(policy: policy), outbox: host.outbox)

        router = host.router()
        router.addRoutes(KeyRoutes(store: keys).collection)
        let submissions = SubmissionStore(pool: host.pool, outbox: host.outbox, keyStore: keys)
        let resultsTopic = host.topicPrefix + Topic.timesheetResults.name
        router.addRoutes(SubmissionRoutes(store: submissions, resultsTopic: resultsTopic).collection)
        router.addRoutes(VisitRoutes(pool: host.pool, keys: keys, submissions: submissions, resultsTopic: resultsTopic).collection)
        router.addRoutes(MonthRoutes(store: MonthStore(pool: host.pool, outbox: host.outbox)).collection)
        router.addRoutes(EntryRoutes(store: HistoryStore(pool: host.pool)).collection)
        router.addRoutes(CardRoutes(store: CardStore(pool: host.pool, outbox: host.outbox)).collection)
        OpenAPIRoute(document: EmbeddedFiles.openapiYaml).addRoutes(to: router)
        // The NGO contract on the topics, self-contained for tools given only this URL (scripts/bundle-contracts).
        OpenAPIRoute(document: EmbeddedFiles.asyncapiYaml, path: "asyncapi.yaml").addRoutes(to: router)
    }

    /// The application: the pool, producer and relay, the two consumer loops, then HTTP.
    /// Reference data has a group of its own, so it never waits behind a backlog of
    /// entries; the NGOs' topic is the busiest, so with four lanes some transactions
    /// work while the others wait on PostgreSQL (a participant's entries share a key
    /// and keep their order).
    func application() throws -> some ApplicationProtocol {
        let consumers = try host.consumer(referenceHandlers, group: host.consumerGroup + "-reference") + host.consumer(entryHandlers, lanes: 4)
        return try host.application(router: router, consumers: consumers)
    }
}
