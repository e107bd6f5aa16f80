import Domain
import EventJSON
import Foundation
import HummingbirdTesting
import Kafka
import Logging
import TestSupport
import Testing

@testable import Ordering

/// Ordering in-process against the real broker: events in, HTTP, events out.
@Suite("Ordering over the broker")
struct EventFlowTests {
    let logger = Logger(label: "ordering-event-tests")

    @Test("a grant arrives, an order is placed and assigned, its hours are accounted once even when redelivered")
    func grantOrderDeliver() async throws {
        let fixture = try await OrderingFixture.make("events")
        let kafka = TestBroker.shared.configuration(clientID: "ordering-event-tests")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let prefix = fixture.namespace + "."
        @Sendable func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) async throws {
            let message = KafkaOutgoingMessage(
                topic: prefix + Event.eventType.topic.name, key: Array(envelope.data.partitionKey.utf8), value: try EventCodec.encode(envelope))
            _ = try await producer.send(message)
        }
        let participant = ParticipantID("p-events")
        let marker = ParticipantID("p-marker")
        let period = DateRange(start: CalendarDate("2024-01-01")!, end: CalendarDate("2024-12-31")!)
        func grant(_ who: ParticipantID) -> SupportGranted {
            SupportGranted(
                grantID: GrantID("g-" + who.rawValue), participantID: who, applicationID: ApplicationID("a-" + who.rawValue),
                editionID: EditionID("2024"),
                group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false), hours: 360, period: period, grantedOn: period.start)
        }
        try await publish(EventEnvelope(source: "/asysta/eligibility", data: EditionPublished(rules: OrderingFixture.edition2024)))
        try await publish(EventEnvelope(source: "/asysta/eligibility", data: grant(participant)))
        try await publish(EventEnvelope(source: "/asysta/eligibility", data: grant(marker)))

        try await fixture.test { client in
            let granted = try await eventually { () -> AllowanceRecord? in
                let response = try await client.send(.get, "/participants/\(participant)/allowance")
                return response.status == .ok ? try JSON.decode(AllowanceRecord.self, response.body) : nil
            }
            #expect(granted.grantedMinutes == 360 * 60 && granted.remainingMinutes == 360 * 60)
            #expect(granted.editionID == EditionID("2024"))

            // Place and assign over HTTP (the providers came from the edition).
            let assistant = try await client.assistant(provider: "pzn-dolnoslaski", skills: ["guiding-blind"])
            let placed = try await client.placed(["participantID": participant.rawValue, "requiredSkills": ["guiding-blind"]])
            #expect(try await client.assign(placed, assistant).status == .ok)
            #expect(try await client.allowance(participant).remainingMinutes == 360 * 60 - 180)

            let orders = try await read(prefix + Topic.orders.name, kafka: kafka) { messages in
                let types = Set(messages.compactMap { try? EventCodec.header(of: $0.value).type })
                return types.isSuperset(of: [OrderPlaced.eventType.description, OrderAssigned.eventType.description])
            }
            let assigned = try #require(orders.lazy.compactMap { try? EventCodec.decode(OrderAssigned.self, from: $0.value).data }.first)
            #expect(
                assigned.orderID == placed.orderID && assigned.assistantID == assistant.assistantID
                    && assigned.providerID == ProviderID("pzn-dolnoslaski"))
            #expect(
                orders.allSatisfy { String(decoding: $0.key ?? [], as: UTF8.self) == participant.rawValue }, "order events are keyed by participant")
            let providers = try await read(prefix + Topic.providers.name, kafka: kafka) { $0.count >= 9 }
            #expect(providers.compactMap { try? EventCodec.decode(ProviderRegistered.self, from: $0.value).data }.count == 8)

            // Timesheet accounts the hours: reserved moves to delivered.
            let order = try JSON.decode(OrderRecord.self, try await client.send(.get, "/orders/\(placed.orderID)").body)
            let accounted = EventEnvelope(id: "hours-1", source: "/asysta/timesheet", data: OrderingFixture.accounted(order))
            try await publish(accounted)
            let delivered = try await eventually { () -> AllowanceRecord? in
                let allowance = try await client.allowance(participant)
                return allowance.deliveredMinutes > 0 ? allowance : nil
            }
            #expect(delivered.deliveredMinutes == 180)
            #expect(delivered.reservedMinutes == 0)
            #expect(delivered.remainingMinutes == 360 * 60 - 180)

            // The same event again (same CloudEvent id), then a marker behind it on the same partition.
            try await publish(accounted)
            var markerEntry = OrderingFixture.accounted(order, entry: "marker", minutes: 30)
            markerEntry.participantID = marker
            markerEntry.orderID = OrderID("o-marker")
            try await publish(EventEnvelope(id: "hours-marker", source: "/asysta/timesheet", data: markerEntry))
            _ = try await eventually { () -> AllowanceRecord? in
                let allowance = try await client.allowance(marker)
                return allowance.deliveredMinutes == 30 ? allowance : nil
            }
            let after = try await client.allowance(participant)
            #expect(after == delivered, "the redelivered HoursAccounted changed nothing")
        }
    }

    private func read(
        _ topic: String, kafka: KafkaConfiguration, until done: @escaping @Sendable ([KafkaMessage]) -> Bool
    ) async throws -> [KafkaMessage] {
        try await readTopic(topic, kafka: kafka, logger: logger, timeout: .seconds(60), until: done)
    }
}
