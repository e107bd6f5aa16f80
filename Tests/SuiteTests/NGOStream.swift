import Domain
import Foundation
import Kafka
import Logging
import Postgres
import TestSupport
import Testing

/// The benchmark's world (`EntryFixture`: 500 participants, eight NGOs, 30-minute
/// entries that are all valid) run against services in their own processes: the
/// reference data published as eligibility and ordering would, the NGOs' keys
/// registered over timesheet's API, and their signed entries streamed at a steady rate.
struct NGOStream {
    let namespace: String
    var fixture: EntryFixture
    let kafka = TestBroker.shared.configuration(clientID: "suite-tests")
    let logger = Logger(label: "suite-tests")

    init(namespace: String, entries: Int) throws {
        self.namespace = namespace
        fixture = try EntryFixture(entries: entries)
    }

    func topic(_ topic: Topic) -> String { namespace + "." + topic.name }

    /// Edition, NGOs, assistants, grants and assigned orders, on the services' topics.
    func publishReferenceData() async throws {
        let messages = try fixture.referenceEvents().map { KafkaOutgoingMessage(topic: topic($0.topic), key: Array($0.key.utf8), value: $0.value) }
        try await produceAll(messages, kafka: kafka, logger: logger)
    }

    /// Each NGO's signing key, made by an operator through timesheet's API.
    mutating func registerKeys(with timesheet: ServiceProcess) async throws {
        for index in 0..<EntryFixture.providers {
            let response = await timesheet.request("POST", "/providers/\(EntryFixture.providerID(index))/keys", body: nil)
            guard response.status == 201 else { throw ServiceProcess.Failure("registering a key answered \(response.status)") }
            let key = try JSONDecoder().decode(KeyBody.self, from: response.body)
            fixture.keys[index] = (key.keyId, Array(Data(hexString: key.secretHex)))
        }
    }

    private struct KeyBody: Decodable {
        var keyId: String
        var secretHex: String
    }

    /// Publishes entries `0..<count`, signed, in chunks spread evenly over `seconds`.
    func streamEntries(_ count: Int, over seconds: Double) async throws {
        let records = try fixture.signedRecords(0..<count, topic: topic(.timesheetSubmissions))
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let running = Task { try await producer.run() }
        defer { running.cancel() }
        let chunks = max(1, Int(seconds * 4))
        let size = (count + chunks - 1) / chunks
        let start = ContinuousClock.now
        for chunk in 0..<chunks where chunk * size < count {
            try await Task.sleep(until: start + .milliseconds(250 * chunk))
            for report in await producer.send(Array(records[chunk * size..<min(count, (chunk + 1) * size)])) { _ = try report.get() }
        }
    }

    // MARK: - What the services answered and hold

    /// Reads timesheet's answers from the start of the results topic, until `done` holds for them.
    func answers(timeout: Duration, until done: @escaping @Sendable (Answers) -> Bool) async throws -> Answers {
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "suite-reader-\(UUID())", topics: [topic(.timesheetResults)]),
            logger: logger)
        return try await withThrowingTaskGroup(of: Answers?.self) { group in
            group.addTask {
                try await reader.run()
                return nil
            }
            group.addTask {
                var answers = Answers()
                for try await batch in reader.batches {
                    for message in batch { try answers.add(message.value) }
                    if done(answers) { return answers }
                }
                return answers
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let answers = next { return answers }
                break
            }
            throw ServiceProcess.Failure("timed out reading timesheet's answers")
        }
    }

    /// The minutes ordering counts as delivered, over every participant's allowance.
    func deliveredMinutes(_ ordering: ServiceProcess) async throws -> Int {
        var total = 0
        for participant in 0..<EntryFixture.participants {
            let response = await ordering.get("/participants/\(EntryFixture.participantID(participant))/allowance?editionID=\(fixture.edition.id)")
            guard response.status == 200 else { throw ServiceProcess.Failure("allowance answered \(response.status)") }
            total += try JSONDecoder().decode(Allowance.self, from: response.body).deliveredMinutes
        }
        return total
    }

    private struct Allowance: Decodable { var deliveredMinutes: Int }

    /// Minutes and entries of the edition's ministry export (JSON): its "total" line of hours by month.
    func exportedMinutes(_ reporting: ServiceProcess) async throws -> (minutes: Int64, entries: Int64) {
        let response = await reporting.get("/editions/\(fixture.edition.id)/export.json")
        guard response.status == 200 else { throw ServiceProcess.Failure("export answered \(response.status)") }
        let months = try JSONDecoder().decode(Export.self, from: response.body).hoursByMonth
        guard let total = months.first(where: { $0.month == "total" }) else { throw ServiceProcess.Failure("the export has no total line") }
        return (total.minutes, total.entries)
    }

    private struct Export: Decodable {
        struct Month: Decodable {
            var month: String
            var minutes: Int64
            var entries: Int64
        }
        var hoursByMonth: [Month]
    }

    /// Polls `value` until it equals `expected` (or the time runs out) and returns the last value.
    static func settle<T: Equatable & Sendable>(_ expected: T, timeout: Duration = .seconds(180), _ value: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var last = try await value()
        while last != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            last = try await value()
        }
        return last
    }
}

/// Timesheet's answers by entry: the distinct answer events (a record republished
/// after a crash carries the same event id, so it is one answer) and their kind.
struct Answers: Sendable {
    private(set) var byEntry: [String: Set<String>] = [:]
    private(set) var acceptedMinutes: [String: Int] = [:]
    private(set) var rejections: [String: String] = [:]
    private(set) var records = 0

    var answered: Int { byEntry.count }
    var entriesWithMoreThanOneAnswer: Int { byEntry.values.count { $0.count > 1 } }
    var totalAcceptedMinutes: Int { acceptedMinutes.values.reduce(0, +) }

    private struct Envelope: Decodable {
        struct Data: Decodable {
            var entryID: String?
            var minutes: Int?
            var code: String?
        }
        var id: String
        var type: String
        var data: Data
    }

    mutating func add(_ value: [UInt8]) throws {
        let envelope = try JSONDecoder().decode(Envelope.self, from: Foundation.Data(value))
        guard let entryID = envelope.data.entryID else { return }
        records += 1
        byEntry[entryID, default: []].insert(envelope.id)
        if envelope.type == HoursAccounted.eventType.description {
            acceptedMinutes[envelope.id] = envelope.data.minutes
        } else {
            rejections[entryID] = envelope.data.code ?? envelope.type
        }
    }
}

extension Data {
    init(hexString: String) {
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex, let next = hexString.index(index, offsetBy: 2, limitedBy: hexString.endIndex) {
            bytes.append(UInt8(hexString[index..<next], radix: 16) ?? 0)
            index = next
        }
        self.init(bytes)
    }
}

extension NGOStream {
    /// Waits until timesheet holds every NGO and every assigned order (read-only), so keys
    /// can be issued and no entry meets an unknown order.
    func waitForReferenceData(in timesheet: ServiceProcess) async throws {
        let ids = (0..<EntryFixture.providers).map { EntryFixture.providerID($0).rawValue }
        let providers = try await Self.settle(EntryFixture.providers) {
            try await Self.count("SELECT count(*)::bigint FROM providers WHERE provider_id = ANY(\(ids)::text[])", in: timesheet.database)
        }
        guard providers == EntryFixture.providers else {
            throw ServiceProcess.Failure("timesheet knows \(providers) of \(EntryFixture.providers) NGOs")
        }
        let orders = fixture.days * EntryFixture.participants
        let known = try await Self.settle(orders) {
            try await Self.count("SELECT count(*)::bigint FROM orders WHERE assistant_id IS NOT NULL", in: timesheet.database)
        }
        guard known == orders else { throw ServiceProcess.Failure("timesheet knows \(known) of \(orders) assigned orders") }
    }

    static func count(_ sql: PostgresQuery, in database: PostgresConfiguration) async throws -> Int {
        try await PostgresPool.with(database, logger: Logger(label: "suite-tests")) { pool in
            try await pool.withConnection { try await $0.query(sql).first!.decode(Int.self, at: 0) }
        }
    }

    /// What an operator checks after the stream: every entry answered exactly once (all
    /// of them are valid, so accepted), 30 minutes each in timesheet's answers, in
    /// ordering's allowances and in reporting's export, and every outbox drained.
    func expectOneAnswerPerEntryAndAgreement(
        _ entries: Int, timesheet: [ServiceProcess], ordering: ServiceProcess, reporting: [ServiceProcess]
    ) async throws {
        let answers = try await self.answers(timeout: .seconds(300)) { $0.answered >= entries }
        let minutes = entries * 30
        print("answers: \(answers.answered) entries, \(answers.records) records, \(answers.records - answers.answered) redelivered")
        #expect(answers.answered == entries)
        #expect(answers.entriesWithMoreThanOneAnswer == 0)
        #expect(answers.rejections.isEmpty, "rejected: \(answers.rejections.prefix(5))")
        #expect(answers.totalAcceptedMinutes == minutes)

        #expect(try await Self.settle(minutes) { try await deliveredMinutes(ordering) } == minutes)
        for replica in reporting {
            let exported = try await Self.settle(Int64(minutes)) { try await exportedMinutes(replica).minutes }
            #expect(exported == Int64(minutes))
            #expect(try await exportedMinutes(replica).entries == Int64(entries))
        }
        for service in [timesheet[0], ordering, reporting[0]] {
            let left = try await Self.settle(0) { try await Self.count("SELECT count(*)::bigint FROM outbox", in: service.database) }
            #expect(left == 0, "\(service.name)'s outbox keeps \(left) unpublished events")
        }
    }
}
