import Domain
import Foundation
import Kafka
import Postgres
import Synchronization
import Testing

@testable import Messaging

@Suite("Dead letters kept and replayed")
struct DeadLetterReplayTests {
    /// Whether the handler's bug is fixed yet.
    final class Fix: Sendable {
        let applied = Mutex(false)
    }

    static func handlers(_ fix: Fix) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(ApplicationWithdrawn.self) { event, connection in
            if event.data.participantID.rawValue == "p-refused", !fix.applied.withLock({ $0 }) {
                throw DeadLetter(code: "handler-failed", message: "the handler could not apply it yet")
            }
            try await connection.execute("INSERT INTO effects (participant_id) VALUES (\(event.data.participantID.rawValue))")
        }
        return handlers
    }

    @Test("a refused record is kept with its reason and payload; replayed after the fix it is applied once, and a second replay does nothing")
    func replayAfterTheFix() async throws {
        let fixture = try await MessagingFixture.make("dlq-replay")
        let fix = Fix()
        let refused = try fixture.event("p-refused")
        try await fixture.running {
            _ = try await fixture.producer.send(refused.kafkaMessage)
            _ = try await fixture.producer.send(try fixture.event("p-first").kafkaMessage)
            // Keyed apart, the two may sit in partitions read in either order: wait for both.
            try await fixture.consume(group: "replaying", handlers: Self.handlers(fix)) {
                let lettered = try await !DeadLetters.waiting(pool: fixture.pool).isEmpty
                return try await fixture.effects().contains("p-first") && lettered
            }
            #expect(try await fixture.effects() == ["p-first"])

            let waiting = try await DeadLetters.waiting(pool: fixture.pool)
            #expect(waiting.count == 1)
            let letter = try #require(waiting.first)
            #expect(letter.reason == "handler-failed" && letter.consumer == "replaying" && letter.topic == fixture.topic)
            #expect(letter.payload.contains("p-refused"), "the payload is kept for the operator")
            #expect(try await DeadLetters.waiting(pool: fixture.pool, topic: "another.topic").isEmpty)

            // Redelivered before any replay, it stays a dead letter: the inbox has taken its id.
            _ = try await fixture.producer.send(refused.kafkaMessage)
            _ = try await fixture.producer.send(try fixture.event("p-second").kafkaMessage)
            try await fixture.consume(group: "replaying", handlers: Self.handlers(fix)) { try await fixture.effects().contains("p-second") }
            #expect(try await DeadLetters.waiting(pool: fixture.pool).count == 1, "a redelivery is no second dead letter")

            fix.applied.withLock { $0 = true }
            let outbox = Outbox(source: "/tests")
            #expect(try await DeadLetters.replay([letter.id], pool: fixture.pool, outbox: outbox) == 1)
            #expect(try await DeadLetters.replay([letter.id], pool: fixture.pool, outbox: outbox) == 0, "a replayed letter is not sent twice")
            #expect(try await DeadLetters.waiting(pool: fixture.pool).isEmpty)
            try await fixture.relay()
            try await fixture.consume(group: "replaying", handlers: Self.handlers(fix)) { try await fixture.effects().contains("p-refused") }
            #expect(try await fixture.effects() == ["p-first", "p-refused", "p-second"], "applied once, after the fix")
        }
    }
}
