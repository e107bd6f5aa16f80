import Domain
import EventJSON
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Eligibility
@testable import Intake
@testable import Ordering
@testable import Reporting
@testable import Timesheet

/// The five services in this process, on one test PostgreSQL (a database each)
/// and the test broker, in a namespace of their own; a producer playing
/// eligibility's grants and the NGOs; an observer of the answers and dead letters.
struct HostileSuite {
    var intake: any TestClientProtocol
    var eligibility: any TestClientProtocol
    var ordering: any TestClientProtocol
    var timesheet: any TestClientProtocol
    var reporting: any TestClientProtocol
    let namespace: String
    let producer: KafkaProducer
    /// Timesheet's database, read only to learn when it knows an order's state.
    let timesheetDatabase: PostgresPool
    let results: ObservedTopic
    let deadLetters: ObservedTopic

    enum Service: String, Sendable, CaseIterable { case intake, eligibility, ordering, timesheet, reporting }

    func client(_ service: Service) -> any TestClientProtocol {
        switch service {
        case .intake: intake
        case .eligibility: eligibility
        case .ordering: ordering
        case .timesheet: timesheet
        case .reporting: reporting
        }
    }

    func topic(_ topic: Topic) -> String { namespace + "." + topic.name }

    /// No service crashed or lost its database or broker: every one answers ready. The
    /// probe asks the broker for metadata within 2 s, which a broker still busy with the
    /// multi-megabyte records may miss once; a service that lost it stays unready.
    func expectEveryServiceReady() async throws {
        for service in Service.allCases {
            let ready = try? await eventually(timeout: .seconds(30)) { () -> Bool? in
                try await client(service).call(.get, "/health/ready", as: .anonymous).status == .ok ? true : nil
            }
            #expect(ready == true, "\(service) is ready")
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Records up to this size may be produced: the multi-megabyte one must reach the broker.
    static let largestRecord = 8 * 1024 * 1024

    /// Starts the five services, runs `body`, stops them.
    static func run(_ body: @escaping @Sendable (HostileSuite) async throws -> Void) async throws {
        let namespace = TestSettings.uniqueNamespace("hostile")
        func randomKey() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }
        let timesheetSettings = try await TestSettings.make(
            service: "timesheet", namespace: namespace,
            extra: [
                // A replaced key stops working at once (the rotated-key case), and an entry may
                // overrun its order by half an hour (so the allowance check can be reached).
                "timesheet.key_grace_seconds": "0", "timesheet.order_tolerance_minutes": "30",
            ])
        let intake = try await Intake.buildApplication(
            settings: try await TestSettings.make(
                service: "intake", namespace: namespace,
                extra: [
                    "intake.encryption_key": randomKey(), "intake.hash_key": randomKey(),
                ]))
        let eligibility = try await Eligibility.buildApplication(
            settings: try await TestSettings.make(
                service: "eligibility", namespace: namespace,
                extra: [
                    "editions.directory": root.appendingPathComponent("deploy/editions").path
                ]))
        let ordering = try await Ordering.buildApplication(settings: try await TestSettings.make(service: "ordering", namespace: namespace))
        let timesheet = try await Timesheet.buildApplication(settings: timesheetSettings)
        let reporting = try await Reporting.buildApplication(settings: try await TestSettings.make(service: "reporting", namespace: namespace))

        var kafka = TestBroker.shared.configuration(clientID: "hostile")
        kafka.properties["message.max.bytes"] = "\(largestRecord + 1024 * 1024)"
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: Logger(label: "hostile"))
        let timesheetDatabase = PostgresPool(
            configuration: try timesheetSettings.postgres(defaultDatabase: "timesheet"), logger: Logger(label: "hostile"))
        let observed = [Topic.timesheetResults.name, Topic.timesheetSubmissions.deadLetter].map { namespace + "." + $0 }
        try await BrokerObserver.observing(observed) { observer in
            try await intake.test(.router) { intakeClient in
                try await eligibility.test(.router) { eligibilityClient in
                    try await ordering.test(.router) { orderingClient in
                        try await timesheet.test(.router) { timesheetClient in
                            try await reporting.test(.router) { reportingClient in
                                try await body(
                                    HostileSuite(
                                        intake: intakeClient, eligibility: eligibilityClient, ordering: orderingClient,
                                        timesheet: timesheetClient, reporting: reportingClient, namespace: namespace, producer: producer,
                                        timesheetDatabase: timesheetDatabase, results: observer.topic(observed[0]),
                                        deadLetters: observer.topic(observed[1])
                                    ))
                            }
                        }
                    }
                }
            }
        }
        await timesheetDatabase.close()
    }

    // MARK: - Kafka

    func send(_ messages: [KafkaOutgoingMessage]) async throws {
        for report in await producer.send(messages) {
            if case let .failure(error) = report { throw error }
        }
    }

    /// Publishes an event as the service that owns it would.
    func publish<Event: DomainEvent>(_ event: Event, source: String) async throws {
        try await send([
            KafkaOutgoingMessage(
                topic: topic(Event.eventType.topic), key: Array(event.partitionKey.utf8),
                value: try EventCodec.encode(EventEnvelope(source: source, data: event)))
        ])
    }

    /// Whether a query over timesheet's own copies (orders) finds a row.
    func timesheetHolds(_ query: PostgresQuery) async throws -> Bool {
        try await timesheetDatabase.withConnection { connection in
            try await connection.query(query).count > 0
        }
    }
}
