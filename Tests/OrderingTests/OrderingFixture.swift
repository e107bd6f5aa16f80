import Domain
import EventJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Ordering

/// The real ordering service on a fresh database and the test broker, in a
/// namespace of its own. Events can be applied through the service's own
/// ledger (the code its consumer runs) to set the scene without a broker round trip.
/// Unchecked: the router is a class, built before any test uses the fixture and never changed after.
struct OrderingFixture: @unchecked Sendable {
    let service: OrderingService
    let namespace: String

    static let participant = ParticipantID("p-anna")
    static let edition2024: EditionRules = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/editions/2024.json")
        return try! JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: url))
    }()

    /// The programme's day in these tests: orders on 2024-05-06 are still ahead.
    static let today = CalendarDate("2024-05-02")!

    static func make(_ label: String, today: CalendarDate = today) async throws -> OrderingFixture {
        let namespace = TestSettings.uniqueNamespace(label)
        let settings = try await TestSettings.make(service: "ordering", namespace: namespace, extra: ["clock.today": today.description])
        return OrderingFixture(service: try await OrderingService(settings: settings), namespace: namespace)
    }

    /// The 2024 edition with its eight providers, and a grant of `hours` to the participant for 2024.
    static func withGrant(
        _ label: String, hours: Int = 20, period: DateRange = DateRange(start: CalendarDate("2024-03-01")!, end: CalendarDate("2024-12-31")!)
    ) async throws -> OrderingFixture {
        let fixture = try await make(label)
        try await fixture.apply(EditionPublished(rules: edition2024))
        try await fixture.apply(
            SupportGranted(
                grantID: GrantID("g-anna-2024"), participantID: participant, applicationID: ApplicationID("app-1"), editionID: EditionID("2024"),
                group: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false), hours: hours, period: period,
                grantedOn: period.start))
        return fixture
    }

    /// Applies an event as the consumer loop would (minus the inbox), in one transaction.
    func apply<Event: DomainEvent>(_ event: Event) async throws {
        let header = try EventCodec.header(of: EventCodec.encode(EventEnvelope(source: "/tests", data: event)))
        let ledger = EventLedger(outbox: service.host.outbox)
        try await service.host.pool.withTransaction { connection in
            switch event {
            case let e as EditionPublished: try await ledger.apply(e.rules, cause: header, on: connection)
            case let e as EditionPublishedV2: try await ledger.apply(e.rules, cause: header, on: connection)
            case let e as SupportGranted: try await ledger.apply(e, cause: header, on: connection)
            case let e as SupportGrantedV2: try await ledger.apply(e, cause: header, on: connection)
            case let e as SupportRevoked: try await ledger.apply(e, cause: header, on: connection)
            case let e as HoursAccounted: try await ledger.apply(e, cause: header, on: connection)
            case let e as TimesheetEntryCorrected: try await ledger.apply(e, cause: header, on: connection)
            case let e as TimesheetEntryVoided: try await ledger.apply(e, cause: header, on: connection)
            default: Issue.record("ordering does not consume \(Event.self)")
            }
        }
    }

    /// Runs the whole application (relay and consumers included) and calls it through its router.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await service.application().test(.router, body)
    }

    /// The events of one type the service published on the broker, each key's oldest first
    /// (Kafka keeps the order of a key, not across keys); needs the application running (`test`).
    func published<Event: DomainEvent>(_: Event.Type) async throws -> [Event] {
        try await records(on: [Event.eventType.topic.name])
            .filter { (try? EventCodec.header(of: $0.value).type) == Event.eventType.description }
            .map { try EventCodec.decode(Event.self, from: $0.value).data }
    }

    /// Every record on the service's topics and their dead letters, wherever its relay
    /// could have sent something, as text: for checking what never leaves ordering.
    func publishedText() async throws -> String {
        try await records(on: OrderingService.topics.flatMap { [$0.name, $0.deadLetter] })
            .map { String(decoding: $0.value, as: UTF8.self) }.joined(separator: "\n")
    }

    private func records(on topics: [String]) async throws -> [KafkaMessage] {
        try await BrokerObserver.published(on: topics.map { service.host.topicPrefix + $0 }, outboxOf: service.host.pool)
    }

    /// An accepted entry for an order, as timesheet would announce it.
    static func accounted(_ order: OrderRecord, entry: String = "e-1", sequence: Int = 1, minutes: Int? = nil) -> HoursAccounted {
        let minutes = minutes ?? order.minutes
        return HoursAccounted(
            providerID: order.providerID ?? ProviderID("wsg-nadzieja"), entryID: entry, sequence: sequence, participantID: order.participantID,
            assistantID: order.assistantID ?? AssistantID("a-x"), orderID: order.orderID, editionID: order.editionID,
            start: order.startsAt, end: order.startsAt.addingTimeInterval(TimeInterval(minutes * 60)),
            month: CalendarDate(order.startsAt).yearMonth, minutes: minutes, expenses: nil, remainingMinutes: 0)
    }
}

// MARK: - JSON over the test client

enum JSON {
    static func body(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try APIError.encoder.encode(value))
    }

    static func body(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return Timestamp.parse(text)!
        }
        return try decoder.decode(type, from: Data(buffer: buffer))
    }

    struct ErrorBody: Decodable {
        struct Field: Decodable {
            var field: String
        }
        struct Inner: Decodable {
            var code: String
            var message: String
            var fields: [Field]?
        }
        var error: Inner
    }

    static func errorCode(_ response: TestResponse) -> String? {
        try? decode(ErrorBody.self, response.body).error.code
    }

    /// The fields an `invalid-input` answer names.
    static func errorFields(_ response: TestResponse) -> [String] {
        (try? decode(ErrorBody.self, response.body).error.fields?.map(\.field)) ?? []
    }
}

extension TestClientProtocol {
    /// - Parameter role: who calls (a coordinator, who places and assigns orders, unless told); nil sends no token.
    ///   `provider`, `assistant` and `participant` are the role's bindings.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, _ object: [String: Any]? = nil, as role: Role? = .coordinator, provider: String? = nil,
        assistant: String? = nil, participant: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let role {
            headers[.authorization] = try await TestTokens.bearer(role, provider: provider, assistant: assistant, participant: participant)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: try object.map(JSON.body))
    }

    func placeOrder(_ fields: [String: Any] = [:]) async throws -> TestResponse {
        var order: [String: Any] = [
            "participantID": OrderingFixture.participant.rawValue, "date": "2024-05-06", "start": "09:00", "end": "12:00",
            "activity": "culture", "place": "ul. Testowa 1, Wrocław", "requiredSkills": ["sign-language"],
        ]
        order.merge(fields) { $1 }
        return try await send(.post, "/orders", order)
    }

    func placed(_ fields: [String: Any] = [:]) async throws -> OrderRecord {
        let response = try await placeOrder(fields)
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try JSON.decode(OrderRecord.self, response.body)
    }

    /// An assistant of `provider` available all week unless told otherwise.
    func assistant(
        provider: String = "wsg-nadzieja", skills: [String] = ["sign-language"], availability: [[String: Any]]? = nil, excluded: [String] = []
    ) async throws -> AssistantRecord {
        let slots = availability ?? (1...7).map { ["weekday": $0, "from": "00:00", "to": "24:00"] }
        let response = try await send(
            .post, "/providers/\(provider)/assistants", ["skills": skills, "availability": slots, "excludedParticipants": excluded])
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try JSON.decode(AssistantRecord.self, response.body)
    }

    func assign(_ order: OrderRecord, _ assistant: AssistantRecord) async throws -> TestResponse {
        try await send(
            .post, "/orders/\(order.orderID)/assignment",
            ["providerID": assistant.providerID.rawValue, "assistantID": assistant.assistantID.rawValue])
    }

    func allowance(_ participant: ParticipantID = OrderingFixture.participant, editionID: String? = nil) async throws -> AllowanceRecord {
        let response = try await send(.get, "/participants/\(participant)/allowance" + (editionID.map { "?editionID=\($0)" } ?? ""))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try JSON.decode(AllowanceRecord.self, response.body)
    }
}
