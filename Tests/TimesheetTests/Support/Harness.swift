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

@testable import Timesheet

/// One timesheet deployment for a test: its settings (a fresh database, the
/// test broker, a namespace of its own), a producer playing the other services
/// and the NGOs, and a pool on the service's database to check what it holds.
struct Harness {
    let namespace: String
    let settings: Settings
    let kafka: KafkaConfiguration
    let producer: KafkaProducer
    let pool: PostgresPool
    let logger = Logger(label: "timesheet-tests")

    static func make(_ label: String, extra: [String: String] = [:]) async throws -> Harness {
        let namespace = TestSettings.uniqueNamespace(label)
        let settings = try await TestSettings.make(service: "timesheet", namespace: namespace, extra: extra)
        let kafka = TestBroker.shared.configuration(clientID: "timesheet-tests")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: Logger(label: label))
        let pool = PostgresPool(configuration: try settings.postgres(defaultDatabase: "timesheet"), logger: Logger(label: label))
        return Harness(namespace: namespace, settings: settings, kafka: kafka, producer: producer, pool: pool)
    }

    func topic(_ topic: Topic) -> String { namespace + "." + topic.name }

    // MARK: - Publishing as the other services and the NGOs

    func publish<Event: DomainEvent>(_ events: [Event], source: String = "/asysta/tests") async throws {
        let messages = try events.map { event in
            KafkaOutgoingMessage(
                topic: topic(Event.eventType.topic), key: Array(event.partitionKey.utf8),
                value: try EventCodec.encode(EventEnvelope(source: source, data: event)))
        }
        try await send(messages)
    }

    func send(_ messages: [KafkaOutgoingMessage]) async throws {
        for report in await producer.send(messages) {
            if case let .failure(error) = report { throw error }
        }
    }

    /// A record as an NGO publishes it: the entry's bytes and their signature.
    func signed(
        _ entry: TimesheetEntrySubmitted, with key: NGOKey?, id: String = UUID().uuidString.lowercased(), source: String? = nil
    ) throws -> KafkaOutgoingMessage {
        let value = try EventCodec.encode(EventEnvelope(id: id, source: source ?? "/providers/\(entry.providerID)", data: entry))
        let headers =
            key.map {
                [KafkaHeader(key: Signature.headerName, value: Array(Signature.header(keyID: $0.keyID, secret: $0.secret, value: value).utf8))]
            } ?? []
        return KafkaOutgoingMessage(
            topic: topic(.timesheetSubmissions), key: Array(entry.participantID.rawValue.utf8), value: value, headers: headers)
    }

    // MARK: - Waiting and reading

    /// Polls until `condition` holds (60 s at most: a test fails rather than hangs).
    func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw HarnessError.timeout(what)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Outcomes with no stored version: none may exist, and no foreign key enforces it (migration 0104).
    static let outcomesWithoutTheirVersion: PostgresQuery = """
        SELECT count(*) FROM entry_outcomes o
        WHERE NOT EXISTS (SELECT FROM entry_versions v WHERE (v.provider_id, v.entry_id, v.sequence) = (o.provider_id, o.entry_id, o.sequence))
        """

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(sql).first!.decode(Int.self, at: 0)
        }
    }

    /// Waits until timesheet holds the reference data the world published.
    func waitForWorld(_ world: World) async throws {
        try await waitUntil("the reference data arrived") {
            let orders = try await count("SELECT count(*) FROM orders WHERE assistant_id IS NOT NULL")
            let grants = try await count("SELECT count(*) FROM grants")
            let assistants = try await count("SELECT count(*) FROM assistants")
            let providers = try await count("SELECT count(*) FROM providers")
            let editions = try await count("SELECT count(*) FROM editions")
            return orders >= world.orders.count && grants >= world.grants.count && assistants >= world.assistants.count
                && providers >= world.providers.count && editions >= 1
        }
    }

    /// The answers on the results topic (read from the start) once `done` holds for them.
    func answers(timeout: Duration = .seconds(60), until done: @escaping @Sendable ([Answer]) -> Bool) async throws -> [Answer] {
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "reader-\(UUID())", topics: [topic(.timesheetResults)]), logger: logger)
        return try await withThrowingTaskGroup(of: [Answer]?.self) { group in
            group.addTask {
                try await reader.run()
                return nil
            }
            group.addTask {
                var received: [Answer] = []
                for try await batch in reader.batches {
                    received += try batch.map(Answer.init)
                    if done(received) { return received }
                }
                return received
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            var result: [Answer] = []
            while let next = try await group.next() {
                if let answers = next { result = answers } else { Issue.record("timed out reading the results topic") }
                break
            }
            group.cancelAll()
            return result
        }
    }

    // MARK: - Keys

    /// A key for a provider timesheet does not know, which the keys route refuses to
    /// make: as if the NGO had a key before it left the edition's list.
    func strayKey(for provider: ProviderID) async throws -> NGOKey {
        let key = NGOKey(keyID: "k-stray-\(provider)", secret: Array(repeating: 7, count: 32))
        try await pool.withConnection { connection in
            try await connection.execute(
                "INSERT INTO signing_keys (key_id, provider_id, secret) VALUES (\(key.keyID), \(provider.rawValue), \(key.secret))")
        }
        return key
    }

    func registerKey(_ client: some TestClientProtocol, for provider: ProviderID) async throws -> NGOKey {
        try await client.execute(uri: "/providers/\(provider)/keys", method: .post, headers: try await TestTokens.headers(.operator)) { response in
            #expect(response.status == .created)
            let body = try JSONDecoder().decode(KeyBody.self, from: Data(response.body.readableBytesView))
            return NGOKey(keyID: body.keyId, secret: Array(Data(base64Encoded: body.secret)!))
        }
    }

    private struct KeyBody: Decodable {
        var keyId: String
        var secret: String
    }
}

enum HarnessError: Error {
    case timeout(String)
}

struct NGOKey: Sendable {
    var keyID: String
    var secret: [UInt8]
}

/// One record of the results topic, as an NGO reads it.
struct Answer: Sendable, CustomStringConvertible {
    var key: String
    var type: String
    var entryID: String
    var sequence: Int
    var code: String?
    var message: String?
    var minutes: Int?
    var remainingMinutes: Int?

    init(_ message: KafkaMessage) throws {
        key = String(decoding: message.key ?? [], as: UTF8.self)
        let object = try JSONSerialization.jsonObject(with: Data(message.value)) as! [String: Any]
        let data = object["data"] as! [String: Any]
        type = (object["type"] as! String).split(separator: ".")[2].description
        // A month's confirmation names no entry.
        entryID = data["entryID"] as? String ?? ""
        sequence = data["sequence"] as? Int ?? 0
        code = data["code"] as? String
        self.message = data["message"] as? String
        minutes = data["minutes"] as? Int
        remainingMinutes = data["remainingMinutes"] as? Int
    }

    var description: String { "\(key) \(type) \(entryID)#\(sequence) \(code ?? "") \(minutes.map(String.init) ?? "")" }
}

/// Runs the application with its consumers until `body` returns.
func withTimesheet<T: Sendable>(_ harness: Harness, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    let app = try await buildApplication(settings: harness.settings)
    return try await app.test(.router) { client in try await body(client) }
}
