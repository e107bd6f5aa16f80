import Domain
import EventJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime
import TestSupport
import Testing

@testable import Ordering
@testable import Timesheet

/// Ordering and timesheet together, as an NGO meets them: a grant arrives, a
/// coordinator orders and assigns over HTTP, the NGO publishes a signed entry
/// with kcat (a client none of us wrote), reads its answer, and the participant's
/// remaining allowance in ordering drops by exactly those hours.
@Suite("NGO flow end to end", .timeLimit(.minutes(5)))
struct NGOFlowTests {
    let logger = Logger(label: "e2e")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a grant arrives, an order is placed and assigned over HTTP, a kcat entry is accepted, and the allowance drops")
    func grantOrderEntryAllowance() async throws {
        let namespace = TestSettings.uniqueNamespace("ngo-flow")
        let prefix = namespace + "."
        let orderingSettings = try await TestSettings.make(service: "ordering", namespace: namespace)
        let timesheetSettings = try await TestSettings.make(service: "timesheet", namespace: namespace)
        let kafka = TestBroker.shared.configuration(clientID: "e2e")

        // What eligibility would publish: the 2022 edition and one participant's grant.
        let rules = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: Self.root.appendingPathComponent("deploy/editions/2022.json")))
        let participant = ParticipantID("p-\(UUID().uuidString.prefix(8).lowercased())")
        let grant = SupportGranted(
            grantID: GrantID("g-" + participant.rawValue), participantID: participant, applicationID: ApplicationID("a-" + participant.rawValue),
            editionID: rules.id, group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false),
            hours: 100, period: rules.period, grantedOn: rules.period.start)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        func publish<Event: DomainEvent>(_ event: Event) async throws {
            let envelope = EventEnvelope(source: "/asysta/eligibility", data: event)
            _ = try await producer.send(
                KafkaOutgoingMessage(
                    topic: prefix + Event.eventType.topic.name, key: Array(event.partitionKey.utf8), value: try EventCodec.encode(envelope)))
        }
        try await publish(EditionPublished(rules: rules))
        try await publish(grant)

        let ordering = try await Ordering.buildApplication(settings: orderingSettings)
        let timesheet = try await Timesheet.buildApplication(settings: timesheetSettings)
        let timesheetDatabase = PostgresPool(configuration: try timesheetSettings.postgres(defaultDatabase: "timesheet"), logger: logger)
        try await ordering.test(.live) { orderingClient in
            try await timesheet.test(.live) { timesheetClient in
                let granted = try await eventually { () -> [String: Any]? in
                    let allowance = try await orderingClient.json(.get, "/participants/\(participant)/allowance")
                    return allowance.status == .ok ? allowance.body : nil
                }
                #expect(granted["remainingMinutes"] as? Int == 100 * 60)

                // A coordinator registers an assistant, orders three hours and assigns them.
                let provider = "fundacja-promyk-slonca"
                let slots = (1...7).map { ["weekday": $0, "from": "00:00", "to": "24:00"] as [String: Any] }
                let assistant = try await orderingClient.json(
                    .post, "/providers/\(provider)/assistants", ["skills": ["wheelchair"], "availability": slots, "excludedParticipants": [String]()])
                #expect(assistant.status == .created, "\(assistant.body)")
                let assistantID = try #require(assistant.body["assistantID"] as? String)
                let order = try await orderingClient.json(
                    .post, "/orders",
                    [
                        "participantID": participant.rawValue, "date": "2022-06-06", "start": "09:00", "end": "12:00",
                        "activity": "mobility", "place": "ul. Strzegomska 6, Wrocław", "requiredSkills": ["wheelchair"],
                    ])
                #expect(order.status == .created, "\(order.body)")
                let orderID = try #require(order.body["orderID"] as? String)
                let assigned = try await orderingClient.json(
                    .post, "/orders/\(orderID)/assignment", ["providerID": provider, "assistantID": assistantID])
                #expect(assigned.status == .ok, "\(assigned.body)")

                // Timesheet learns the assignment from ordering's events.
                _ = try await eventually { () -> Bool? in
                    try await timesheetDatabase.withConnection { connection in
                        try await connection.query("SELECT 1 FROM orders WHERE order_id = \(orderID) AND assistant_id = \(assistantID)").count > 0
                            ? true : nil
                    }
                }

                // MOPS issues the NGO a key once timesheet has read the NGO from ordering's events
                // (until then: 404 unknown-provider); the NGO signs and publishes with the guide's tools.
                let key = try await eventually { () -> JSONResponse? in
                    let answer = try await timesheetClient.json(.post, "/providers/\(provider)/keys", as: .operator)
                    return answer.status == .notFound ? nil : answer
                }
                #expect(key.status == .created)
                let keyID = try #require(key.body["keyId"] as? String)
                let encodedSecret = try #require(key.body["secret"] as? String)
                let secret = try #require(Data(base64Encoded: encodedSecret))
                let entry = TimesheetEntrySubmitted(
                    providerID: ProviderID(provider), entryID: "PS/2022/06/001", sequence: 1,
                    assistantID: AssistantID(assistantID), orderID: OrderID(orderID), participantID: participant,
                    start: try #require(Timestamp.parse("2022-06-06T09:00:00+02:00")),
                    end: try #require(Timestamp.parse("2022-06-06T11:00:00+02:00")),
                    activity: .mobility
                )
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("entry-\(UUID()).json")
                try Data(try EventCodec.encode(EventEnvelope(source: "/providers/\(provider)", data: entry))).write(to: file)
                let signature = try await shell(
                    "openssl dgst -sha256 -mac HMAC -macopt hexkey:\(secret.map { String(format: "%02x", $0) }.joined()) -r \(file.path) | cut -d' ' -f1"
                )
                _ = try await shell(
                    "kcat -P -b \(TestBroker.shared.bootstrapServers) -t \(prefix)asysta.timesheet.submissions -k \(participant) -H 'asysta-signature=keyId=\(keyID),alg=hmac-sha256,sig=\(signature)' \(file.path)"
                )

                // The answer on the results topic, keyed by the NGO.
                let answer = try await eventually { () -> String? in
                    let lines = try await shell(
                        "timeout 30 kcat -C -b \(TestBroker.shared.bootstrapServers) -t \(prefix)asysta.timesheet.results -e -q -f '%k %s\\n'")
                    return lines.split(separator: "\n").first { $0.contains("PS/2022/06/001") }.map(String.init)
                }
                #expect(answer.hasPrefix("\(provider) "), "answers are keyed by the provider")
                #expect(answer.contains("asysta.timesheet.HoursAccounted.v1"), "\(answer)")

                // Ordering moves the two hours from reserved to delivered.
                let after = try await eventually { () -> [String: Any]? in
                    let allowance = try await orderingClient.json(.get, "/participants/\(participant)/allowance")
                    return allowance.body["deliveredMinutes"] as? Int == 120 ? allowance.body : nil
                }
                #expect(after["remainingMinutes"] as? Int == 100 * 60 - 120)
                #expect(after["reservedMinutes"] as? Int == 0)

                // Every record of the flow, the kcat entry included, keeps its published schema.
                let records = try await BrokerObserver.records(
                    on: [Topic.editions, .decisions, .orders, .timesheetSubmissions, .timesheetResults].map { prefix + $0.name })
                let problems = try await ContractCheck.problems(in: records)
                #expect(problems.isEmpty, "\(problems)")
            }
        }
        await timesheetDatabase.close()
    }
}

// MARK: - Helpers

enum EndToEndError: Error { case commandFailed(String) }

/// Runs a shell command (with the environment `scripts/test` set up, so kcat uses our
/// librdkafka) and returns its standard output; its standard error is dropped.
func shell(_ command: String) async throws -> String {
    let result = try await run("sh", ["-c", "{ \(command); } 2>/dev/null"])
    guard result.status == 0 else { throw EndToEndError.commandFailed(command) }
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct JSONResponse {
    var status: HTTPResponse.Status
    var body: [String: Any]
}

extension TestClientProtocol {
    /// - Parameter role: who calls: a coordinator, who orders and assigns, unless told.
    func json(_ method: HTTPRequest.Method, _ uri: String, _ object: [String: Any]? = nil, as role: Role = .coordinator) async throws -> JSONResponse
    {
        let body = try object.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let headers = try await TestTokens.headers(role, adding: [.contentType: "application/json"])
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return JSONResponse(status: response.status, body: object)
        }
    }
}
