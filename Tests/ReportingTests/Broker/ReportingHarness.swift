import Domain
import EventJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

/// Reporting deployments for a test, all reading the topics of one namespace
/// on the test broker, and a producer playing the services whose events
/// reporting reads. Each instance gets a fresh database; an instance may get a
/// consumer group prefix of its own so it reads the topics from the beginning.
struct ReportingHarness: Sendable {
    let namespace: String
    let kafka: KafkaConfiguration
    let producer: KafkaProducer
    let logger = Logger(label: "reporting-broker-tests")

    static func make(_ label: String) throws -> ReportingHarness {
        let kafka = TestBroker.shared.configuration(clientID: "reporting-tests")
        return ReportingHarness(
            namespace: TestSettings.uniqueNamespace(label), kafka: kafka,
            producer: try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: Logger(label: label)))
    }

    /// Settings of one instance: a fresh database, this namespace's topics, and the
    /// consumer group `<groupPrefix>-reporting` (the namespace unless told).
    func settings(groupPrefix: String? = nil, extra: [String: String] = [:]) async throws -> Settings {
        var extra = extra
        if let groupPrefix { extra["kafka.consumer_group_prefix"] = groupPrefix }
        return try await TestSettings.make(service: "reporting", namespace: namespace, extra: extra)
    }

    var topics: [String] { ReadModelHandlers.topics.map { namespace + "." + $0.name } }

    // MARK: - Publishing as eligibility, ordering and timesheet

    /// Publishes the events in order, each with its scenario id (the CloudEvent id,
    /// which the inbox keys on) and time; returns when the broker has them all.
    /// One awaited send at a time: the test broker (Tansu) reports a partition's end
    /// as the last *batch*'s base offset + 1, so only one-record batches give
    /// `waitUntilCaughtUp` the true end.
    func publish(_ events: [ScenarioEvent]) async throws {
        // One awaited record at a time: Tansu reports a partition's end per batch, and the
        // lag check below needs one-record batches. The Result form, not the typed-throws
        // send: awaiting that in this loop crashed Swift 6.3.1's release optimizer (signal 11).
        for event in events {
            let record = try message(event)
            _ = try await producer.send([record])[0].get()
        }
    }

    func message(_ item: ScenarioEvent) throws -> KafkaOutgoingMessage {
        func encode<Event: DomainEvent>(_ event: Event) throws -> KafkaOutgoingMessage {
            let envelope = EventEnvelope(id: item.id, source: "/asysta/\(Event.eventType.context)", time: item.time, data: event)
            return KafkaOutgoingMessage(
                topic: namespace + "." + Event.eventType.topic.name, key: Array(event.partitionKey.utf8),
                value: try EventCodec.encode(envelope))
        }
        return try encode(item.event)
    }

    // MARK: - Waiting

    /// Waits until the group has committed every record of reporting's topics: the
    /// loop stores a batch's offsets only after its transaction committed, so
    /// everything published before this call has then been applied (or skipped).
    func waitUntilCaughtUp(group: String, timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lag: Int64 = -1
        while ContinuousClock.now < deadline {
            let partitions = try await KafkaAdmin.lag(groupID: group, topics: topics, configuration: kafka)
            lag = partitions.reduce(0) { $0 + $1.lag }
            if lag == 0, partitions.contains(where: { $0.highWatermark > 0 }) { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("group \(group) still \(lag) records behind after \(timeout)")
        throw HarnessTimeout()
    }

    struct HarnessTimeout: Error {}

    // MARK: - Reading an instance

    /// The events the instance's inbox holds for its group.
    static func inboxCount(_ host: ServiceHost) async throws -> Int64 {
        try await host.pool.withConnection { try await Rebuilder.inboxCount($0, consumer: host.consumerGroup) }
    }

    /// The ranges every comparison covers: the whole edition, and May alone (the
    /// month the scenario closes, whose export must stay frozen).
    static let ranges: [(label: String, query: String, from: String?, to: String?)] = [
        ("edition", "", nil, nil),
        ("2022-05", "?from=2022-05&to=2022-05", "2022-05", "2022-05"),
    ]

    /// The three downloads of every range, as an HTTP client receives them, keyed "range.format".
    static func downloads(_ client: some TestClientProtocol, edition: EditionID = Scenario.edition) async throws -> [String: [UInt8]] {
        var bodies: [String: [UInt8]] = [:]
        let auditor = try await TestTokens.headers(.auditor)
        for range in ranges {
            for format in ["json", "csv", "xlsx"] {
                let response = try await client.execute(uri: "/editions/\(edition)/export.\(format)\(range.query)", method: .get, headers: auditor)
                #expect(response.status == .ok, "export.\(format)\(range.query) answered \(response.status)")
                bodies[range.label + "." + format] = Array(response.body.readableBytesView)
            }
        }
        // The settlement of the closed month, keyed with May's range so its freezing is checked too.
        for format in ["json", "csv", "xlsx"] {
            let response = try await client.execute(
                uri: "/editions/\(edition)/settlements/\(Scenario.may)/export.\(format)", method: .get, headers: auditor)
            #expect(response.status == .ok, "settlement export.\(format) answered \(response.status)")
            bodies["\(Scenario.may).settlement.\(format)"] = Array(response.body.readableBytesView)
        }
        return bodies
    }

    /// The same keys as `downloads`, rendered straight from a database's read models.
    static func exports(_ pool: PostgresPool) async throws -> [String: [UInt8]] {
        var bodies: [String: [UInt8]] = [:]
        for range in ranges {
            for (format, bytes) in try await ReadModelScenarioTests.exports(pool, from: range.from, to: range.to) {
                bodies[range.label + "." + format] = bytes
            }
        }
        let settlement = try await SettlementTests.settlement(pool, Scenario.may)
        bodies["\(Scenario.may).settlement.json"] = try Array(JSONExport.encoder.encode(settlement))
        bodies["\(Scenario.may).settlement.csv"] = CSVExport.render(settlement.tables)
        bodies["\(Scenario.may).settlement.xlsx"] = try XLSXExport.render(settlement.tables)
        return bodies
    }

    /// The whole edition's report as the JSON route serves it.
    static func report(_ client: some TestClientProtocol, edition: EditionID = Scenario.edition) async throws -> Report {
        let response = try await client.execute(uri: "/editions/\(edition)/report", method: .get, headers: try await TestTokens.headers(.auditor))
        #expect(response.status == .ok)
        return try JSONExport.decoder.decode(Report.self, from: Data(response.body.readableBytesView))
    }

    /// What the direct path (the writer without the broker, checked figure by figure
    /// in `ReadModelScenarioTests`) exports for the same events.
    static func directExports(_ events: [ScenarioEvent]) async throws -> [String: [UInt8]] {
        try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(events)
            return try await exports(pool)
        }
    }
}

extension Array where Element == ScenarioEvent {
    var uniqueIDs: Int { Set(map(\.id)).count }
}
