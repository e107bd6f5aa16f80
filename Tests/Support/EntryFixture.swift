import Domain
import EventJSON
import Foundation
import Kafka
import Logging
import Synchronization

/// The benchmark's world: 8 NGOs, 500 participants each with one assistant of
/// their own, an 8-hour order per participant and day, and 30-minute entries
/// filling those orders (16 a day). Entry `k` belongs to participant `k % 500`,
/// slot `(k / 500) % 16` of day `k / 8000`, so entries never overlap, stay
/// within their order, the edition and a large grant, and an assistant works
/// 8 hours in any 24. Everything is a pure function of `k`: the same entries
/// can be produced again, and later ranges (the latency run) stay valid.
public struct EntryFixture: Sendable {
    public static let participants = 500
    public static let providers = 8
    public static let slotsPerDay = 16
    public static let entriesPerDay = participants * slotsPerDay

    public let edition: EditionRules
    /// Days with orders: enough for the entries of every phase.
    public let days: Int
    public let firstDay = CalendarDate(year: 2025, month: 2, day: 3)!
    /// keyID and secret per provider index.
    public var keys: [(keyID: String, secret: [UInt8])]

    public init(entries: Int) throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/editions/2025.json")
            .standardizedFileURL
        edition = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: file))
        days = (entries + Self.entriesPerDay - 1) / Self.entriesPerDay
        precondition(days < 300, "too many entries for one edition")
        keys = (0..<Self.providers).map { index in
            ("bench-key-\(index)", (0..<32).map { _ in UInt8.random(in: 0...255) })
        }
    }

    public static func providerID(_ index: Int) -> ProviderID { ProviderID("bench-ngo-\(index + 1)") }
    public static func participantID(_ index: Int) -> ParticipantID { ParticipantID(String(format: "bench-p-%04d", index)) }
    public static func assistantID(_ index: Int) -> AssistantID { AssistantID(String(format: "bench-a-%04d", index)) }
    public static func grantID(_ index: Int) -> GrantID { GrantID(String(format: "bench-g-%04d", index)) }
    public static func orderID(participant: Int, day: Int) -> OrderID { OrderID(String(format: "bench-o-%04d-%03d", participant, day)) }
    public static func provider(ofParticipant participant: Int) -> Int { participant % providers }

    public func dayStart(_ day: Int) -> Date {
        // 07:00 UTC (08:00 or 09:00 in Wrocław): no entry crosses a calendar day.
        let date = firstDay.adding(days: day)
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        components.hour = 7
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)!
    }

    // MARK: - Reference data, as eligibility and ordering would publish it

    /// (topic, key, value) of every reference event, in the order they must be read.
    public func referenceEvents() throws -> [(topic: Topic, key: String, value: [UInt8])] {
        var out: [(Topic, String, [UInt8])] = []
        func add<E: DomainEvent>(_ event: E, source: String) throws {
            out.append((E.eventType.topic, event.partitionKey, try EventCodec.encode(EventEnvelope(source: source, data: event))))
        }
        try add(EditionPublished(rules: edition), source: "/asysta/eligibility")
        for provider in 0..<Self.providers {
            try add(
                ProviderRegistered(
                    providerID: Self.providerID(provider), editionID: edition.id, name: "Benchmark NGO \(provider + 1)", hourlyRate: Money(zloty: 45)),
                source: "/asysta/ordering")
        }
        for participant in 0..<Self.participants {
            try add(
                AssistantRegistered(
                    assistantID: Self.assistantID(participant), providerID: Self.providerID(Self.provider(ofParticipant: participant)), skills: []),
                source: "/asysta/ordering")
            try add(
                SupportGranted(
                    grantID: Self.grantID(participant), participantID: Self.participantID(participant),
                    applicationID: ApplicationID(String(format: "bench-app-%04d", participant)),
                    editionID: edition.id, group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false),
                    hours: 100_000, period: edition.period, grantedOn: edition.period.start), source: "/asysta/eligibility")
        }
        for day in 0..<days {
            let start = dayStart(day)
            let end = start.addingTimeInterval(8 * 3600)
            for participant in 0..<Self.participants {
                let order = Self.orderID(participant: participant, day: day)
                try add(
                    OrderPlaced(
                        orderID: order, participantID: Self.participantID(participant), grantID: Self.grantID(participant), editionID: edition.id,
                        start: start, end: end, activity: .selfCare, requiredSkills: []), source: "/asysta/ordering")
                try add(
                    OrderAssigned(
                        orderID: order, participantID: Self.participantID(participant), editionID: edition.id,
                        providerID: Self.providerID(Self.provider(ofParticipant: participant)), assistantID: Self.assistantID(participant),
                        start: start, end: end), source: "/asysta/ordering")
            }
        }
        return out
    }

    // MARK: - Entries

    public func entry(_ k: Int) -> TimesheetEntrySubmitted {
        let participant = k % Self.participants
        let slot = (k / Self.participants) % Self.slotsPerDay
        let day = k / Self.entriesPerDay
        let start = dayStart(day).addingTimeInterval(Double(slot) * 1800)
        return TimesheetEntrySubmitted(
            providerID: Self.providerID(Self.provider(ofParticipant: participant)), entryID: "e-\(k)", sequence: 1,
            assistantID: Self.assistantID(participant), orderID: Self.orderID(participant: participant, day: day),
            participantID: Self.participantID(participant), start: start, end: start.addingTimeInterval(1800), activity: .selfCare)
    }

    /// The signed record of entry `k`, as an NGO system publishes it.
    public func signedRecord(_ k: Int, topic: String) throws -> KafkaOutgoingMessage {
        let (keyID, secret) = keys[Self.provider(ofParticipant: k % Self.participants)]
        return try SignedEntry.record(entry(k), eventID: "bench-entry-\(k)", keyID: keyID, secret: secret, topic: topic)
    }

    /// Signs entries `range` on two threads (JSON encoding is the cost).
    public func signedRecords(_ range: Range<Int>, topic: String) throws -> [KafkaOutgoingMessage] {
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let size = (range.count + chunks - 1) / chunks
        let results = Mutex<[Int: Result<[KafkaOutgoingMessage], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let lower = range.lowerBound + chunk * size
            let upper = min(range.upperBound, lower + size)
            let result = Result { try (lower..<max(lower, upper)).map { try signedRecord($0, topic: topic) } }
            results.withLock { $0[chunk] = result }
        }
        return try results.withLock { all in try (0..<chunks).flatMap { try all[$0]!.get() } }
    }
}

/// Produces records and waits for every acknowledgement.
public func produceAll(_ messages: [KafkaOutgoingMessage], kafka: KafkaConfiguration, logger: Logger) async throws {
    let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
    let running = Task { try await producer.run() }
    defer { running.cancel() }
    var offset = 0
    while offset < messages.count {
        let chunk = Array(messages[offset..<min(messages.count, offset + 20_000)])
        for result in await producer.send(chunk) { _ = try result.get() }
        offset += chunk.count
    }
    running.cancel()
    _ = await running.result
}
