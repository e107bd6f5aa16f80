import Domain
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceRuntime

/// Wires the timesheet service: storage, the operator and NGO routes, the
/// reference-data consumer and the entries consumer on the shared host.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    let migrations = try MigrationRunner.load(from: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
    let host = try await ServiceHost(
        name: "timesheet", settings: settings, migrations: migrations,
        topics: [.timesheetSubmissions, .timesheetResults, .timesheetPeriods, .editions, .decisions, .providers, .orders]
    )
    let policy = TimesheetPolicy(orderTolerance: TimeInterval(try settings.int("timesheet.order_tolerance_minutes", default: 0) * 60))
    let keys = KeyStore(pool: host.pool, grace: .seconds(try settings.int("timesheet.key_grace_seconds", default: 86400)))

    let router = host.router()
    let api = router.group()
    KeyRoutes(repository: keys).addRoutes(to: api)
    SubmissionRoutes(gateway: SubmissionOutbox(pool: host.pool, outbox: host.outbox, keyStore: keys),
                     resultsTopic: host.topicPrefix + Topic.timesheetResults.name).addRoutes(to: api)
    MonthRoutes(repository: MonthStore(pool: host.pool, outbox: host.outbox)).addRoutes(to: api)
    EntryRoutes(repository: HistoryStore(pool: host.pool)).addRoutes(to: api)
    try OpenAPIRoute<ServiceRequestContext>(document: Bundle.module.url(forResource: "openapi", withExtension: "yaml")).addRoutes(to: router)
    // The NGO contract on the topics, self-contained for tools given only this URL (scripts/bundle-contracts).
    try OpenAPIRoute<ServiceRequestContext>(document: Bundle.module.url(forResource: "asyncapi", withExtension: "yaml"), path: "asyncapi.yaml").addRoutes(to: router)

    let submissions = SubmissionHandler(store: EntryStore(policy: policy), outbox: host.outbox)
    var entryHandlers = EventHandlers()
    // An entry that reads but fails `validate()` is answered `invalid-entry` (the ledger checks it), not parked.
    entryHandlers.onBatch(TimesheetEntrySubmitted.self, validation: .byHandler) { events, connection in
        try await submissions.handle(events, on: connection)
    }
    entryHandlers.onReusedID { message, connection in try await submissions.answerReusedID(message, on: connection) }
    // The NGOs' topic is the busiest: with four lanes some transactions work while the others
    // wait on PostgreSQL. A participant's entries share a key, so they keep their order.
    let consumers = try host.consumer(ReferenceHandlers.make(), group: host.consumerGroup + "-reference")
        + host.consumer(entryHandlers, lanes: 4)
    return try host.application(router: router, consumers: consumers)
}
