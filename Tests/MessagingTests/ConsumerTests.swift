import Domain
import Foundation
import Kafka
import Postgres
import ServiceLifecycle
import Testing

@testable import Messaging

@Suite("Consumer loop")
struct ConsumerTests {
    @Test("the same event delivered three times has one effect")
    func inboxAbsorbsRedelivery() async throws {
        let fixture = try await MessagingFixture.make("inbox")
        let event = try fixture.event("p-once")
        let marker = try fixture.event("p-marker")
        try await fixture.running {
            for _ in 0..<3 { _ = try await fixture.producer.send(event.kafkaMessage) }
            _ = try await fixture.producer.send(marker.kafkaMessage)
            try await fixture.consume(group: "inbox-a") { try await fixture.effects().contains("p-marker") }
            #expect(try await fixture.effects() == ["p-marker", "p-once"])

            // The same event again later (as after a crash before the offset commit): still one effect.
            for _ in 0..<3 { _ = try await fixture.producer.send(event.kafkaMessage) }
            let second = try fixture.event("p-second-marker")
            _ = try await fixture.producer.send(second.kafkaMessage)
            try await fixture.consume(group: "inbox-a") { try await fixture.effects().contains("p-second-marker") }
            #expect(try await fixture.effects() == ["p-marker", "p-once", "p-second-marker"])
        }
    }

    @Test("with lanes, every event is applied once and each key's events in their order")
    func lanesKeepKeyOrder() async throws {
        let fixture = try await MessagingFixture.make("lanes", partitions: 6)
        // 24 participants, each its own key (so its own partition), 25 events each.
        var events: [OutgoingEvent] = []
        for step in 0..<25 {
            for participant in 0..<24 {
                var event = try fixture.event(String(format: "p%02d#%02d", participant, step))
                event.key = String(format: "p%02d", participant)
                events.append(event)
            }
        }
        try await fixture.running {
            for chunk in stride(from: 0, to: events.count, by: 100) {
                for result in await fixture.producer.send(events[chunk..<min(events.count, chunk + 100)].map(\.kafkaMessage)) { _ = try result.get() }
            }
            // Some of them delivered again, as after a crash before the offsets were committed.
            for result in await fixture.producer.send(events.prefix(60).map(\.kafkaMessage)) { _ = try result.get() }
            // A last event per participant: once all are applied, so are the repeats before them.
            var last: [OutgoingEvent] = []
            for participant in 0..<24 {
                var event = try fixture.event(String(format: "p%02d#99", participant))
                event.key = String(format: "p%02d", participant)
                last.append(event)
            }
            for result in await fixture.producer.send(last.map(\.kafkaMessage)) { _ = try result.get() }
            events += last
            // 624 events in batches of 50: more than 45 s when the whole suite shares two cores.
            try await fixture.consume(group: "lanes", lanes: 3, timeout: .seconds(150)) { [count = events.count] in
                try await fixture.effects().count >= count
            }
        }
        let applied = try await fixture.pool.withConnection { connection in
            try await connection.query("SELECT participant_id FROM effects ORDER BY position").map { try $0.decode(String.self, at: 0) }
        }
        #expect(applied.count == events.count)
        #expect(Set(applied).count == events.count, "no event applied twice")
        let byParticipant = Dictionary(grouping: applied) { $0.prefix(3) }
        #expect(byParticipant.count == 24)
        for (participant, steps) in byParticipant {
            #expect(steps == steps.sorted(), "\(participant)'s events applied out of order: \(steps)")
        }
    }

    @Test("a lane still at work holds back the offsets of its partition, so a crash loses none of its records")
    func lanesStoreOffsetsOnlyPastFinishedRecords() async throws {
        // One partition: every lane's keys share it, and the first record's lane is stuck.
        let fixture = try await MessagingFixture.make("lane-offsets", partitions: 1)
        var handlers = EventHandlers()
        handlers.on(ApplicationWithdrawn.self) { event, connection in
            if event.data.participantID.rawValue == "stuck" { try await Task.sleep(for: .seconds(60)) }
            try await connection.execute("INSERT INTO effects (participant_id) VALUES (\(event.data.participantID.rawValue))")
        }
        var events = [try fixture.event("stuck")]
        for index in 0..<40 { events.append(try fixture.event(String(format: "f%02d", index))) }
        try await fixture.running {
            for result in await fixture.producer.send(events.map(\.kafkaMessage)) { _ = try result.get() }
            // The other lanes apply their records; then the process dies (no graceful shutdown).
            let (consumer, loop) = try fixture.consumer(group: "lane-offsets", handlers: handlers, lanes: 2)
            let crashed = Task { try await ServiceGroup(services: [consumer, loop], logger: fixture.logger).run() }
            let stuckLane = loop.lane(key: Array(events[0].key.utf8), partition: 0)
            let free = events.filter { loop.lane(key: Array($0.key.utf8), partition: 0) != stuckLane }.map(\.key).sorted()
            #expect(free.count > 5, "the keys fall in both lanes")
            let deadline = ContinuousClock.now + .seconds(60)
            while try await fixture.effects().count < free.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await fixture.effects() == free, "the free lane applied its records while the stuck one waited")
            crashed.cancel()
            _ = await crashed.result
            // The same group again: the stuck record was not skipped.
            try await fixture.consume(group: "lane-offsets", lanes: 2) { try await fixture.effects().contains("stuck") }
        }
        let applied = try await fixture.effects()
        #expect(applied.contains("stuck"))
        #expect(applied.count == events.count, "each record applied once")
    }

    @Test("malformed, unknown and incomplete records go to the dead-letter topic and good ones still flow")
    func deadLetters() async throws {
        let fixture = try await MessagingFixture.make("dlq")
        let good = try fixture.event("p-good")
        var missingField = try JSONSerialization.jsonObject(with: Data(try fixture.event("p-missing").payload)) as! [String: Any]
        var data = missingField["data"] as! [String: Any]
        data.removeValue(forKey: "participantID")
        missingField["data"] = data
        var wrongType = try JSONSerialization.jsonObject(with: Data(try fixture.event("p-wrong").payload)) as! [String: Any]
        wrongType["type"] = "asysta.intake.NoSuchEvent.v9"
        let bad: [[UInt8]] = [
            Array("{\"specversion\": \"1.0\", \"id\": ".utf8),
            Array(try JSONSerialization.data(withJSONObject: wrongType)),
            Array(try JSONSerialization.data(withJSONObject: missingField)),
        ]
        try await fixture.running {
            for value in bad {
                _ = try await fixture.producer.send(KafkaOutgoingMessage(topic: fixture.topic, key: Array("p-bad".utf8), value: value))
            }
            _ = try await fixture.producer.send(good.kafkaMessage)
            try await fixture.consume(group: "dlq") { try await fixture.effects().contains("p-good") }
            #expect(try await fixture.effects() == ["p-good"])

            // The dead letters were written through the outbox; publish them and read them back.
            try await fixture.relay()
            let letters = try await fixture.read(fixture.topic + ".dlq", count: 3)
            let reasons = letters.map { String(decoding: $0.header("asysta-dlq-reason") ?? [], as: UTF8.self) }
            #expect(reasons == ["malformed-json", "unknown-type", "missing-field"])
            #expect(letters.map(\.value) == bad, "the original bytes are kept for replay")
            for letter in letters {
                #expect(letter.header("asysta-dlq-topic").map { String(decoding: $0, as: UTF8.self) } == fixture.topic)
                #expect(letter.header("asysta-dlq-offset") != nil)
                #expect(letter.header("asysta-dlq-partition") != nil)
            }
            let message = String(decoding: letters[2].header("asysta-dlq-message") ?? [], as: UTF8.self)
            #expect(message.contains("data.participantID"), "the reason names the missing field: \(message)")
        }
    }

    @Test("a handler that refuses an event parks only that event")
    func handlerRefusal() async throws {
        let fixture = try await MessagingFixture.make("refusal")
        var handlers = EventHandlers()
        handlers.on(ApplicationWithdrawn.self) { event, connection in
            if event.data.participantID.rawValue == "p-refused" {
                throw DeadLetter(code: "unauthorised-source", message: "refused by the test")
            }
            try await connection.execute("INSERT INTO effects (participant_id) VALUES (\(event.data.participantID.rawValue))")
        }
        try await fixture.running {
            for participant in ["p-1", "p-refused", "p-2"] {
                _ = try await fixture.producer.send(try fixture.event(participant).kafkaMessage)
            }
            try await fixture.consume(group: "refusal", handlers: handlers) { try await fixture.effects().count >= 2 }
            #expect(try await fixture.unpublished() == 1, "one dead letter written, no relay ran yet")
            try await fixture.relay()
            let parked = try await fixture.read(fixture.topic + ".dlq", count: 1)
            #expect(parked.map { String(decoding: $0.header("asysta-dlq-reason") ?? [], as: UTF8.self) } == ["unauthorised-source"])
        }
        #expect(try await fixture.effects() == ["p-1", "p-2"])
    }
}
