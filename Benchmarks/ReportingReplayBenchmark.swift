// Replay: how long reporting takes to rebuild its read models from the start of
// the topics. 1 000 000 events (by default) are pre-loaded on the broker, as the
// other services would have published them over a year — the edition, 10 000
// grants, orders placed and assigned, accounted hours (most of them), corrections,
// voids and seven month closings — then the real service starts on a fresh
// database with a new consumer group and is timed until its inbox holds every
// event. Checks only counts: every event applied once, the report's totals.
//
//   part of scripts/bench (BenchmarkSuite calls `run`); alone:
//   ASYSTA_BENCHMARK_REPLAY=1 scripts/bench --filter ReportingReplay
//   (BENCH_REPLAY_EVENTS=1000000 BENCH_PARTICIPANTS=10000)
import Domain
import EventJSON
import Foundation
import Kafka
import Logging
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

@Suite(
    "Reporting replay benchmark",
    .enabled(
        if: ProcessInfo.processInfo.environment["ASYSTA_BENCHMARK_REPLAY"] != nil,
        "the replay alone (ASYSTA_BENCHMARK_REPLAY=1); the full run measures it in Benchmarks/everything"))
struct ReportingReplayBenchmark {
    @Test("reporting rebuilds its read models from 1 000 000 events on the broker")
    func alone() async throws {
        let report = BenchReport()
        try await Self.run(report: report)
    }

    /// The event mix: everything but accounted hours is a fixed share of the total.
    struct Mix {
        var events: Int
        var participants: Int
        var orders: Int { events / 50 }
        var assignments: Int { orders / 2 }
        var corrections: Int { events / 50 }
        var voids: Int { events / 200 }
        var closings: Int { 7 }
        var accounted: Int { events - 1 - participants - orders - assignments - corrections - voids - closings }
    }

    static func run(report: BenchReport) async throws {
        let environment = ProcessInfo.processInfo.environment
        let mix = Mix(
            events: Int(environment["BENCH_REPLAY_EVENTS"] ?? "") ?? 1_000_000,
            participants: Int(environment["BENCH_PARTICIPANTS"] ?? "") ?? 10_000)
        let year = try ReportingYear(participants: mix.participants, entries: mix.accounted)
        let namespace = TestSettings.uniqueNamespace("replay-bench")
        let kafka = TestBroker.shared.configuration(clientID: "reporting-replay-bench")
        let logger = Logger(label: "reporting-replay-bench")
        try await KafkaAdmin.createTopics(
            ReadModelHandlers.topics.map { KafkaTopicSpec(name: namespace + "." + $0.name, partitions: 6) }, configuration: kafka)

        // Pre-load (not timed), in the order the producing services would have published.
        var started = ContinuousClock.now
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let preload = Preload(namespace: namespace, producer: producer)
        try await preload.send(0..<1) { _ in (EditionPublished(rules: year.rules), year.start) }
        try await preload.send(0..<mix.participants) { (year.grant($0), year.start) }
        try await preload.send(0..<mix.orders) { n in
            let entry = year.accounted(n * (mix.accounted / mix.orders))
            return (
                OrderPlaced(
                    orderID: entry.orderID, participantID: entry.participantID, grantID: GrantID("g\(entry.participantID.rawValue.dropFirst())"),
                    editionID: year.rules.id, start: entry.start, end: entry.end, activity: .errands, requiredSkills: []), year.start
            )
        }
        try await preload.send(0..<mix.assignments) { n in
            let entry = year.accounted(n * (mix.accounted / mix.orders))
            return (
                OrderAssigned(
                    orderID: entry.orderID, participantID: entry.participantID, editionID: year.rules.id, providerID: entry.providerID,
                    assistantID: entry.assistantID, start: entry.start, end: entry.end), year.start
            )
        }
        try await preload.send(0..<mix.accounted) { (year.accounted($0), year.time(ofEntry: $0)) }
        // Corrections add 15 minutes to entries spread over the year; voids withdraw others.
        let corrected = (0..<mix.corrections).map { $0 * (mix.accounted / mix.corrections) }
        let voided = (0..<mix.voids).map { $0 * (mix.accounted / mix.voids) + 1 }
        try await preload.send(0..<mix.corrections) { i in
            let entry = year.accounted(corrected[i])
            return (
                TimesheetEntryCorrected(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: 2, supersededSequence: 1, participantID: entry.participantID,
                    assistantID: entry.assistantID, orderID: entry.orderID, editionID: entry.editionID, start: entry.start,
                    end: entry.end.addingTimeInterval(15 * 60), month: entry.month, previousMonth: entry.month, minutes: entry.minutes + 15,
                    previousMinutes: entry.minutes, expenses: entry.expenses, previousExpenses: entry.expenses,
                    reason: "pomyłka w godzinie zakończenia",
                    remainingMinutes: 0), year.time(ofEntry: corrected[i]).addingTimeInterval(3600)
            )
        }
        try await preload.send(0..<mix.voids) { i in
            let entry = year.accounted(voided[i])
            return (
                TimesheetEntryVoided(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: 2, participantID: entry.participantID,
                    assistantID: entry.assistantID,
                    orderID: entry.orderID, editionID: entry.editionID, month: entry.month, minutes: entry.minutes, expenses: entry.expenses,
                    reason: "usługa nie odbyła się", remainingMinutes: 0), year.time(ofEntry: voided[i]).addingTimeInterval(3600)
            )
        }
        try await preload.send(0..<mix.closings) { (year.closings[$0], year.closings[$0].closedAt) }
        #expect(preload.sent == mix.events)
        report.note(
            "replay: pre-loaded \(preload.sent) events (\(mix.accounted) HoursAccounted, \(mix.participants) grants, \(mix.orders + mix.assignments) order events, \(mix.corrections) corrections, \(mix.voids) voids) in \(String(format: "%.1f", seconds(started.duration(to: .now)))) s"
        )

        // Timed: the real service on a fresh database with a new group, from start-up
        // until its inbox holds every event.
        started = ContinuousClock.now
        let service = try await ReportingService(
            settings: try await TestSettings.make(service: "reporting", namespace: namespace, extra: ["kafka.partitions": "6"]))
        let host = service.host
        try await withRunning([try service.application()], logger: logger) {
            var applied: Int64 = 0
            var pace = Rebuilder.CatchUpPace()
            while applied < mix.events {
                try await Task.sleep(for: pace.next(counted: applied, target: Int64(mix.events)))
                applied = try await host.pool.withConnection { try await Rebuilder.inboxCount($0, consumer: host.consumerGroup) }
            }
            let elapsed = seconds(started.duration(to: .now))
            report.record("reporting replay (\(mix.events) events)", "throughput", Double(mix.events) / elapsed, "events/s")
            report.record("reporting replay (\(mix.events) events)", "time", elapsed, "s")
            #expect(applied == Int64(mix.events), "every event applied once")
            // A transaction's rows share its now(): how many transactions the replay took.
            let transactions = try await host.pool.withConnection { connection in
                try await connection.query("SELECT count(DISTINCT received_at) FROM inbox").first!.decode(Int64.self, at: 0)
            }
            report.note("replay: \(transactions) transactions, \(Int64(mix.events) / max(1, transactions)) events each on average")

            // Counts only: the report holds every entry, correction and void.
            let snapshot = try await service.store.snapshot(edition: year.rules.id) { try MonthRange.parse(from: nil, to: nil, edition: $0) }
            let whole = try #require(snapshot)
            let total = try #require(ReportBuilder.build(whole).hoursByMonth.last)
            let minutes =
                (0..<mix.accounted).reduce(Int64(0)) { $0 + Int64(year.minutes(ofEntry: $1)) }
                + Int64(15 * mix.corrections) - voided.reduce(Int64(0)) { $0 + Int64(year.minutes(ofEntry: $1)) }
            #expect(total.entries == Int64(mix.accounted - mix.voids))
            #expect(total.minutes == minutes)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension ReportingReplayBenchmark {
    /// Sends events as their services publish them (CloudEvents JSON, keyed by the
    /// aggregate), 20 000 at a time.
    final class Preload: @unchecked Sendable {
        let namespace: String
        let producer: KafkaProducer
        private(set) var sent = 0

        init(namespace: String, producer: KafkaProducer) {
            self.namespace = namespace
            self.producer = producer
        }

        func send<Event: DomainEvent>(_ range: Range<Int>, _ event: (Int) -> (Event, Date)) async throws {
            for start in stride(from: range.lowerBound, to: range.upperBound, by: 20_000) {
                let messages = try (start..<min(start + 20_000, range.upperBound)).map { n in
                    let (data, time) = event(n)
                    let envelope = EventEnvelope(
                        id: "\(Event.eventType.name)-\(n)", source: "/asysta/\(Event.eventType.context)", time: time, data: data)
                    return KafkaOutgoingMessage(
                        topic: namespace + "." + Event.eventType.topic.name, key: Array(data.partitionKey.utf8),
                        value: try EventCodec.encode(envelope))
                }
                for result in await producer.send(messages) {
                    if case let .failure(error) = result { throw error }
                }
                sent += messages.count
            }
        }
    }
}
