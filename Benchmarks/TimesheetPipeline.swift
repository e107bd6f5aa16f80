import Domain
import Foundation
import Kafka
import Logging
import Postgres
import TestSupport

/// The timesheet service, black-box, as a release process: its NGO keys issued
/// through its own route, its reference data read from the topics, then timed
/// against the pre-loaded backlog and at a steady rate.
struct TimesheetPipeline {
    /// A steady load after the backlog: entries sent on a fixed schedule.
    struct SteadyPhase: Sendable {
        var rate: Int
        var seconds: Int
        var entries: Int { rate * seconds }
        /// Sends come in ticks of at most 100 a second, each of `rate / ticksPerSecond` entries.
        var ticksPerSecond: Int { min(rate, 100) }
        var perTick: Int { rate / ticksPerSecond }
        var name: String { "timesheet pipeline (steady \(rate)/s)" }

        /// When record `k` of the phase is due, the phase starting at `start`.
        func due(_ k: Int, from start: Double) -> Double {
            start + Double(k / perTick) / Double(ticksPerSecond)
        }

        /// What a run of the phase saw: when it started, each record's delivery report
        /// (in the order sent) and when each record the watcher's key names was read.
        struct Run<Key: Hashable> {
            var start: Double
            var delivered: [KafkaDeliveryReport]
            var arrived: [Key: (read: Double, produced: Double?)]
        }

        /// Sends `records` on the phase's schedule through a producer of its own while a
        /// `TopicWatcher` reads `topic` (from its end, or from its start), then stops both.
        /// The watcher's group join comes first, so nothing is read late.
        func run<Key: Hashable & Sendable>(
            _ records: [KafkaOutgoingMessage], readingFrom topic: String, fromEnd: Bool = false, kafka: KafkaConfiguration, logger: Logger,
            key: @escaping @Sendable (KafkaMessage) -> Key?
        ) async throws -> Run<Key> {
            let watcher = try TopicWatcher(kafka: kafka, topic: topic, logger: logger, fromEnd: fromEnd)
            let reading = Task { try await watcher.arrivals(expected: entries, timeout: Double(seconds) + 300, key: key) }
            try await Task.sleep(for: .seconds(4))  // the broker holds a group's join for half its session timeout
            // It stands for an NGO's system sending each visit as it is recorded: it does not
            // linger to fill a batch, as the services' relays do not.
            var sending = KafkaProducerConfiguration(kafka: kafka)
            sending.linger = .zero
            let producer = try KafkaProducer(configuration: sending, logger: logger)
            let serving = Task { try await producer.run() }
            let start = now() + 0.5
            let delivered = try await send(records, through: producer, from: start)
            let arrived = try await reading.value
            await watcher.stop()
            serving.cancel()
            _ = await serving.result
            return Run(start: start, delivered: delivered, arrived: arrived)
        }

        /// One figure of each second of the phase (`figure` of the latencies of the records
        /// due in it), in whole milliseconds: whether a tail is a moment or spread out.
        /// `latencies` are (the record's place in the phase, its latency in ms).
        func eachSecond(_ latencies: [(Int, Double)], _ figure: ([Double]) -> Double) -> String {
            var bySecond = [[Double]](repeating: [], count: seconds)
            for (k, latency) in latencies { bySecond[min(seconds - 1, k / rate)].append(latency) }
            return bySecond.map { String(Int($0.isEmpty ? 0 : figure($0))) }.joined(separator: " ")
        }

        /// Sends `records` on the phase's schedule from `start`; returns each one's delivery report.
        private func send(
            _ records: [KafkaOutgoingMessage], through producer: KafkaProducer, from start: Double
        ) async throws -> [KafkaDeliveryReport] {
            try await withThrowingTaskGroup(of: (Int, [KafkaDeliveryReport]).self) { sends in
                for tick in 0..<(seconds * ticksPerSecond) {
                    let tickDue = start + Double(tick) / Double(ticksPerSecond)
                    if tickDue > now() { try await Task.sleep(for: .seconds(tickDue - now())) }
                    let tickRecords = Array(records[(tick * perTick)..<((tick + 1) * perTick)])
                    sends.addTask { (tick, try await producer.send(tickRecords).map { try $0.get() }) }
                }
                var reports = [KafkaDeliveryReport?](repeating: nil, count: records.count)
                for try await (tick, delivered) in sends {
                    for (index, report) in delivered.enumerated() { reports[tick * perTick + index] = report }
                }
                return reports.map { $0! }
            }
        }
    }

    /// Under load, and a quiet hour's trickle, where nothing fills a batch.
    static let steadyPhases = [SteadyPhase(rate: 2_000, seconds: 15), SteadyPhase(rate: 10, seconds: 30)]
    /// Entries sent at the steady rates after the backlog (on top of the backlog's N).
    static var steadyEntries: Int { steadyPhases.map(\.entries).reduce(0, +) }

    let namespace: String
    let kafka: KafkaConfiguration
    let logger: Logger
    let database: PostgresConfiguration
    private var process: ServiceProcess

    private var results: String { namespace + "." + Topic.timesheetResults.name }
    private var submissions: String { namespace + "." + Topic.timesheetSubmissions.name }
    private static let accountedType = Array("\"\(HoursAccounted.eventType)\"".utf8)

    /// Starts timesheet once, before anything is on the topics.
    static func prepare(namespace: String, kafka: KafkaConfiguration, report: BenchReport, logger: Logger) async throws -> TimesheetPipeline {
        let process = try await ServiceProcess(name: "timesheet", namespace: namespace)
        try await process.start()
        return TimesheetPipeline(namespace: namespace, kafka: kafka, logger: logger, database: process.database, process: process)
    }

    /// Waits until the first run has read every reference event (orders are the
    /// last, and an order counts once assigned), then stops it, so the timed run starts with what a live service
    /// would already know and measures the entries alone.
    /// Meanwhile it issues each NGO's signing key the way an operator does (timesheet
    /// keys only the NGOs it knows); the fixture signs with them.
    mutating func awaitReference(orders: Int, fixture: inout EntryFixture) async throws {
        let deadline = now() + 300
        // Orders come last, but the NGOs travel on their own topic: wait for both.
        while true {
            let assigned = try await count("SELECT count(*) FROM orders WHERE assistant_id IS NOT NULL")
            let providers = try await count("SELECT count(*) FROM providers")
            if assigned >= orders && providers >= fixture.keys.count { break }
            guard now() < deadline else { throw ServiceProcess.Failure("timesheet did not read the reference data within 300 s") }
            try await Task.sleep(for: .milliseconds(250))
        }
        for index in fixture.keys.indices {
            let provider = EntryFixture.providerID(index).rawValue
            let answer = await process.request("POST", "/providers/\(provider)/keys", body: nil)
            guard answer.status == 201,
                let key = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                let keyID = key["keyId"] as? String, let secret = (key["secret"] as? String).flatMap({ Data(base64Encoded: $0) })
            else {
                throw ServiceProcess.Failure("issuing \(provider)'s key answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
            }
            fixture.keys[index] = (keyID, Array(secret))
        }
        await process.stop()
    }

    /// Backlog throughput: from the spawn of a fresh process until the results
    /// topic holds an `HoursAccounted` for every entry.
    mutating func measureBacklog(fixture: EntryFixture, entries: Int, report: BenchReport) async throws -> Double {
        let watcher = try TopicWatcher(kafka: kafka, topic: results, logger: logger)
        process = try await ServiceProcess(name: "timesheet", namespace: namespace, database: database)
        let spawned = now()
        try await process.start()
        report.record("timesheet", "start-up until /health/ready", process.startup, "s")
        let (accounted, peak) = try await peakResident(of: process) {
            try await watcher.arrivals(expected: entries, timeout: 900, key: Self.accountedEntryID)
        }
        let seconds = now() - spawned
        let rows = try await count("SELECT count(*) FROM entry_versions")
        guard accounted.count == entries, rows == entries else {
            throw ServiceProcess.Failure("expected \(entries) accepted entries, got \(accounted.count) HoursAccounted and \(rows) stored versions")
        }
        let rate = Double(entries) / seconds
        report.record("timesheet pipeline (backlog)", "throughput", rate, "entries/s")
        report.record("timesheet pipeline (backlog)", "time from process start", seconds, "s")
        report.record("timesheet", "resident memory peak (backlog)", peak, "MiB")
        await watcher.stop()
        return rate
    }

    /// Latency at a steady rate: entries produced on a fixed schedule; each one's
    /// latency runs from its scheduled send to its `HoursAccounted` being read.
    /// The watcher reads while the entries are sent, so what it stamps is arrival.
    func measureLatency(_ phase: SteadyPhase, fixture: EntryFixture, from first: Int, report: BenchReport) async throws {
        // Signed before the clock starts: signing is the NGO's work, on its own machine,
        // and on the fly it took a quarter of a core from the pipeline it measures.
        let records = try fixture.signedRecords(first..<(first + phase.entries), topic: submissions)
        let timersBefore = await HopTimers(process)
        // The phase's own answers, by the entry's place in the phase (entry `e-<k>` is `k - first`).
        let run = try await phase.run(records, readingFrom: results, fromEnd: true, kafka: kafka, logger: logger) { (message: KafkaMessage) -> Int? in
            guard let k = Self.accountedEntryID(message).flatMap({ Int($0.dropFirst(2)) }), (first..<(first + phase.entries)).contains(k) else {
                return nil
            }
            return k - first
        }
        guard run.arrived.count == phase.entries else {
            throw ServiceProcess.Failure("\(phase.name): \(run.arrived.count) of \(phase.entries) entries accounted")
        }
        let latencies = run.arrived.map { k, seen in (k, (seen.read - phase.due(k, from: run.start)) * 1000) }
        // The hops: from the entry's due time until timesheet produced its answer (the
        // producer, the broker, timesheet's fetch, its transaction and its relay), and
        // from then until the answer was read (the relay's producer, the broker, the fetch).
        let answered = run.arrived.compactMap { k, seen in seen.produced.map { ($0 - phase.due(k, from: run.start), seen.read - $0) } }
        let timers = await HopTimers(process).since(timersBefore)
        if !answered.isEmpty {
            let inTimesheet = answered.map { $0.0 * 1000 }.sorted()
            let toReader = answered.map { $0.1 * 1000 }.sorted()
            report.record(phase.name, "hop: due → answer produced, p50", percentile(inTimesheet, 0.5), "ms")
            report.record(phase.name, "hop: due → answer produced, p99", percentile(inTimesheet, 0.99), "ms")
            report.record(phase.name, "hop: answer produced → read, p50", percentile(toReader, 0.5), "ms")
            report.record(phase.name, "hop: answer produced → read, p99", percentile(toReader, 0.99), "ms")
            // The first hop split by timesheet's own timers (means: they are what /metrics keeps).
            report.note(
                "\(phase.name): due → answer produced, mean \(Int(inTimesheet.reduce(0, +) / Double(inTimesheet.count))) ms; inside timesheet "
                    + "(means of its /metrics): an entry \(timers.mean(.age)) ms old when polled, \(timers.mean(.laneWait)) ms more until "
                    + "its lane's transaction began, \(Int(timers.count(.transaction))) transactions of \(timers.mean(.transaction)) ms, "
                    + "an answer \(timers.mean(.outboxWait)) ms from its commit until acknowledged")
        }
        report.note("\(phase.name): slowest answer of each second, ms: \(phase.eachSecond(latencies) { $0.max()! })")
        // Which hop the slowest answer lost its time in.
        if let (k, slowest) = latencies.max(by: { $0.1 < $1.1 }), let seen = run.arrived[k], let produced = seen.produced {
            let due = phase.due(k, from: run.start)
            report.note(
                "\(phase.name): slowest answer \(Int(slowest)) ms, due \(String(format: "%.2f", due - run.start)) s into the phase: "
                    + "\(Int((produced - due) * 1000)) ms until produced, \(Int((seen.read - produced) * 1000)) ms until read")
        }
        let values = latencies.map(\.1)
        report.latencies(phase.name, values)
        report.record(phase.name, "max latency", values.max()!, "ms")
        report.record("timesheet", "resident memory after steady \(phase.rate)/s", process.residentMiB, "MiB")
    }

    /// Timesheet's timers of an entry's way through it (`EventConsumer`, `OutboxRelay`):
    /// sums and counts from its `/metrics`, so two reads give the means between them.
    private struct HopTimers {
        enum Hop: String, CaseIterable {
            case age = "asysta_consumer_record_age_seconds"
            case laneWait = "asysta_consumer_lane_wait_seconds"
            case transaction = "asysta_consumer_batch_seconds"
            case outboxWait = "asysta_outbox_wait_seconds"
        }
        var sums: [Hop: Double] = [:]
        var counts: [Hop: Double] = [:]

        init(_ process: ServiceProcess) async {
            for hop in Hop.allCases {
                sums[hop] = await process.metric(hop.rawValue + "_sum")
                counts[hop] = await process.metric(hop.rawValue + "_count")
            }
        }

        private init(sums: [Hop: Double], counts: [Hop: Double]) {
            self.sums = sums
            self.counts = counts
        }

        func since(_ before: HopTimers) -> HopTimers {
            HopTimers(sums: sums.merging(before.sums) { $0 - $1 }, counts: counts.merging(before.counts) { $0 - $1 })
        }

        func count(_ hop: Hop) -> Double { counts[hop] ?? 0 }

        /// The mean in whole milliseconds (0 when nothing was timed).
        func mean(_ hop: Hop) -> Int { count(hop) > 0 ? Int((sums[hop] ?? 0) / count(hop) * 1000) : 0 }
    }

    func stop(report: BenchReport) async {
        await process.stop()
    }

    private func count(_ sql: String) async throws -> Int {
        try await database.withPool { pool in
            try await pool.withConnection { try await $0.query(PostgresQuery(unsafeSQL: sql))[0].decode(Int.self, at: 0) }
        }
    }

    /// The entry id of an `HoursAccounted` record, found by scanning its bytes: the
    /// watcher shares the machine with the service it measures, and decoding every
    /// answer with JSONDecoder took a fifth of the two cores. Only accepted entries have one.
    private static func accountedEntryID(_ message: KafkaMessage) -> String? {
        message.value.withUnsafeBytes { record -> String? in
            guard let base = record.baseAddress,
                find(accountedType, in: base, count: record.count) != nil,
                let field = find(entryIDField, in: base, count: record.count)
            else { return nil }
            let start = field + entryIDField.count
            guard let end = record[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: record[start..<end], as: UTF8.self)
        }
    }

    private static let entryIDField = Array("\"entryID\":\"".utf8)

    private static func find(_ needle: [UInt8], in haystack: UnsafeRawPointer, count: Int) -> Int? {
        guard needle.count <= count else { return nil }
        let bytes = haystack.assumingMemoryBound(to: UInt8.self)
        return needle.withUnsafeBytes { needle in
            (0...(count - needle.count)).first { i in bytes[i] == needle[0] && memcmp(bytes + i, needle.baseAddress!, needle.count) == 0 }
        }
    }
}
