import Domain
import EventJSON
import Foundation
import Kafka
import Postgres
import ServiceLifecycle
import Testing

@testable import Messaging

@Suite("Outbox")
struct OutboxTests {
    @Test("events committed before the relay dies are all published by the next relay")
    func relayCrashBetweenCommitAndPublish() async throws {
        let fixture = try await MessagingFixture.make("outbox-crash")
        let events = try (0..<50).map { try fixture.event("p-\($0 % 7)") }
        // Each business transaction commits its events; no relay is running: as if it died right after.
        for chunk in stride(from: 0, to: events.count, by: 10) {
            try await fixture.pool.withTransaction { connection in
                try await Outbox(source: "/tests").append(Array(events[chunk..<chunk + 10]), on: connection)
            }
        }
        #expect(try await fixture.unpublished() == 50)

        try await fixture.running {
            // A relay that published a first batch but died before deleting it: simulated by
            // sending those records by hand and leaving the rows in place.
            _ = await fixture.producer.send(events.prefix(10).map(\.kafkaMessage))

            // The replacement relay starts from what the database says.
            try await fixture.relay()
            #expect(try await fixture.unpublished() == 0)

            let received = try await fixture.read(fixture.topic, count: 60)
            let ids = Set(try received.map { try EventCodec.header(of: $0.value).id })
            #expect(ids == Set(events.map(\.id)), "every committed event reached the topic")
            #expect(received.count == 60, "the ten sent before the crash arrive twice; consumers' inboxes absorb that")

            // Per key, events first arrive in the order in which they were committed.
            for key in Set(events.map(\.key)) {
                let committed = events.filter { $0.key == key }.map(\.id)
                var seen = Set<String>()
                let firstArrivals = try received.filter { $0.key == Array(key.utf8) }
                    .map { try EventCodec.header(of: $0.value).id }
                    .filter { seen.insert($0).inserted }
                #expect(firstArrivals == committed)
            }
        }
    }

    @Test("the relay publishes what the outbox handed over only once committed, and reads what the handoff no longer holds")
    func handoff() async throws {
        let fixture = try await MessagingFixture.make("outbox-handoff", partitions: 1)
        let handoff = OutboxHandoff(capacity: 4)
        let outbox = Outbox(source: "/tests", handoff: handoff)
        let rolledBack = try (0..<3).map { try fixture.event("p-gone-\($0)") }
        let committed = try (0..<10).map { try fixture.event("p-\($0)") }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await fixture.pool.withTransaction { connection in
                try await outbox.append(rolledBack, on: connection)
                throw Abort()
            }
        }
        // Two transactions: the handoff, holding four, keeps only the last four of the second.
        for chunk in [committed.prefix(5), committed.suffix(5)] {
            try await fixture.pool.withTransaction { connection in
                try await outbox.append(Array(chunk), on: connection)
                let written = try await connection.query("SELECT position FROM outbox WHERE event_id = ANY(\(chunk.map(\.id))::text[])")
                let positions = try written.map { try $0.decode(Int64.self, at: 0) }
                #expect(positions.count == 5 && handoff.take(positions).isEmpty, "nothing handed over before the commit")
            }
        }
        try await fixture.running {
            let relay = OutboxRelay(pool: fixture.pool, producer: fixture.producer, handoff: handoff, logger: fixture.logger)
            #expect(try await relay.publishBatch() == 10)
            #expect(try await fixture.unpublished() == 0)
            let received = try await fixture.read(fixture.topic, count: 10)
            #expect(try received.map { try EventCodec.header(of: $0.value).id } == committed.map(\.id), "exactly the committed events, in order")
            #expect(received.map(\.value) == committed.map(\.payload) && received.map(\.key) == committed.map { Array($0.key.utf8) }, "byte for byte")
        }
        #expect(handoff.take([1, 2, 3]).isEmpty, "a rolled-back transaction handed nothing over")
    }

    @Test(
        "an event refused for good in the middle of a key's sequence is parked with its reason; the key's other events leave in their order; a replay puts it back in its place"
    )
    func refusedEventIsParkedAndTheKeyKeepsItsOrder() async throws {
        let fixture = try await MessagingFixture.make("outbox-refused")
        // The producer refuses a message over its message.max.bytes (librdkafka's default, 1 000 000).
        var tooLarge = try fixture.event("p-a")
        tooLarge.payload = [UInt8](repeating: 0x20, count: 2_000_000)
        let a = try [fixture.event("p-a"), tooLarge, fixture.event("p-a"), fixture.event("p-a")]
        let b = try [fixture.event("p-b"), fixture.event("p-b")]
        try await fixture.pool.withTransaction { connection in
            try await Outbox(source: "/tests").append([a[0], b[0], a[1], a[2], b[1], a[3]], on: connection)
        }
        try await fixture.running {
            let relay = OutboxRelay(pool: fixture.pool, producer: fixture.producer, handoff: OutboxHandoff(), logger: fixture.logger)
            #expect(try await relay.publishBatch() == 6)
            // Nothing of p-a after the refused event left in that pass; it waits for the next.
            #expect(try await fixture.unpublishedIDs() == [a[2].id, a[3].id])
            let parked = try await OutboxParking.list(pool: fixture.pool)
            #expect(parked.map(\.eventID) == [tooLarge.id])
            #expect(parked.first?.bytes == 2_000_000 && parked.first?.topic == fixture.topic && parked.first?.key == "p-a")
            #expect(parked.first?.reason.lowercased().contains("too large") == true, "\(parked)")

            #expect(try await relay.publishBatch() == 2)
            #expect(try await fixture.unpublished() == 0)
            let received = try await fixture.read(fixture.topic, count: 5)
            let ids = { (key: String) in try received.filter { $0.key == Array(key.utf8) }.map { try EventCodec.header(of: $0.value).id } }
            #expect(try ids("p-a") == [a[0].id, a[2].id, a[3].id], "the key's events in their original order, the refused one missing")
            #expect(try ids("p-b") == b.map(\.id))

            // Replayed, it goes back ahead of anything written since; refused again, it is parked again.
            let later = try fixture.event("p-a")
            try await fixture.pool.withTransaction { try await Outbox(source: "/tests").append([later], on: $0) }
            #expect(try await OutboxParking.replay(pool: fixture.pool) == 1)
            #expect(try await fixture.unpublishedIDs() == [tooLarge.id, later.id])
            #expect(try await relay.publishBatch() == 2)
            #expect(try await OutboxParking.list(pool: fixture.pool).map(\.eventID) == [tooLarge.id])
            #expect(try await fixture.unpublishedIDs() == [later.id], "held back behind the refused event once more")
        }
    }

    @Test("upgrading past migration 3 deletes the rows marked published and the relay then sends the rest")
    func upgradeFromMarkedRows() async throws {
        let fixture = try await MessagingFixture.make("outbox-upgrade", messaging: Array(MessagingSchema.migrations.prefix(2)))
        let published = try fixture.event("p-published")
        let waiting = try (0..<3).map { try fixture.event("p-\($0)") }
        try await fixture.pool.withTransaction { connection in
            try await Outbox(source: "/tests").append([published] + waiting, on: connection)
            try await connection.execute("UPDATE outbox SET published_at = now() WHERE event_id = \(published.id)")
        }
        #expect(
            try await MigrationRunner(pool: fixture.pool, logger: fixture.logger).apply(MessagingSchema.migrations)
                == MessagingSchema.migrations.dropFirst(2).map(\.version))
        #expect(try await fixture.unpublishedIDs() == waiting.map(\.id))
        try await fixture.running {
            try await fixture.relay()
            #expect(try await fixture.unpublished() == 0)
            let received = try await fixture.read(fixture.topic, count: 3)
            #expect(Set(try received.map { try EventCodec.header(of: $0.value).id }) == Set(waiting.map(\.id)))
        }
    }

    @Test("a rolled-back transaction publishes nothing")
    func rollbackLeavesNothing() async throws {
        let fixture = try await MessagingFixture.make("outbox-rollback")
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await fixture.pool.withTransaction { connection in
                try await Outbox(source: "/tests").append([try fixture.event("p-1")], on: connection)
                throw Abort()
            }
        }
        #expect(try await fixture.unpublished() == 0)
    }

    @Test("two relays racing never publish the same row twice")
    func concurrentRelays() async throws {
        let fixture = try await MessagingFixture.make("outbox-race")
        let events = try (0..<300).map { try fixture.event("p-\($0 % 11)") }
        try await fixture.pool.withTransaction { connection in
            try await Outbox(source: "/tests").append(events, on: connection)
        }
        let relay = OutboxRelay.init(pool:producer:handoff:configuration:logger:)
        var configuration = OutboxRelay.Configuration()
        configuration.batchSize = 25
        let first = relay(fixture.pool, fixture.producer, OutboxHandoff(), configuration, fixture.logger)
        let second = relay(fixture.pool, fixture.producer, OutboxHandoff(), configuration, fixture.logger)
        try await fixture.running {
            async let a: Void = { while try await first.publishBatch() > 0 {} }()
            async let b: Void = { while try await second.publishBatch() > 0 {} }()
            _ = try await (a, b)
            // Claims can come back empty while the other relay holds the lock: finish the tail.
            while try await first.publishBatch() > 0 {}
            #expect(try await fixture.unpublished() == 0)
            let received = try await fixture.read(fixture.topic, count: 300, timeout: .seconds(20))
            #expect(received.count == 300)
            #expect(Set(try received.map { try EventCodec.header(of: $0.value).id }).count == 300)
        }
    }
}
