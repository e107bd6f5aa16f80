import Crypto
import Domain
import EventJSON
import FoundationEssentials
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// The one consumer loop every service runs: pull a batch, decode it, apply it
/// (in one transaction per lane) with the inbox and the outbox, and only then
/// store the offsets. A record that cannot be decoded or is refused by its handler goes to
/// `<topic>.dlq` (through the outbox, so that too happens exactly once, and kept in
/// `dead_letters` for operators to replay: `DeadLetters`) and the loop moves on; a failing database or broker is waited out, never skipped.
///
/// Every record ends with exactly one outcome, decided in this order:
/// 1. **envelope** — unreadable JSON, a CloudEvents envelope without `source` or
///    `id`, another `specversion`, or more than `EventCodec.maximumSize` bytes: a
///    dead letter with its reason (nothing can be said about who sent it);
/// 2. **inbox** — the same `source` and `id` as a record seen before: with the same
///    bytes (SHA-256) it is a redelivery, skipped silently but counted
///    (`asysta_events_consumed_total{outcome="redelivered"}`) and logged at debug; with
///    other bytes the sender reused an id, a dead letter `duplicate-id` (and the
///    handlers' `answerReusedID`, so an NGO is told);
/// 3. **type** — unknown, or another topic's: a dead letter;
/// 4. **data** — missing, mistyped or invalid fields, or a handler's refusal: a dead
///    letter; otherwise the handler's effect (which may be an answer).
/// A record refused at steps 3–4 is still recorded in the inbox, so its id is taken.
public struct EventConsumer: Service {
    /// The consumer group, also the inbox's name for what this loop has applied.
    public let name: String
    private let consumer: KafkaConsumer
    private let pool: PostgresPool
    private let outbox: Outbox
    private let handlers: EventHandlers
    /// How many transactions a batch is split into, by record key.
    private let lanes: Int
    private let logger: Logger
    /// Where a record's time goes before its effect, for operators and `scripts/bench`:
    /// from its producer until polled here (the broker's hop and the fetch, or a backlog
    /// in the broker; by the producer's clock), then until its lane's transaction begins
    /// (decoding, and a backlog in this process); the transaction is `asysta_consumer_batch_seconds`.
    private let ageWhenPolled: Timer
    private let laneWait: Timer

    public init(name: String, consumer: KafkaConsumer, pool: PostgresPool, outbox: Outbox, handlers: EventHandlers, lanes: Int = 1, logger: Logger) {
        precondition(lanes >= 1, "a consumer needs at least one lane")
        self.name = name
        self.consumer = consumer
        self.pool = pool
        self.outbox = outbox
        self.handlers = handlers
        self.lanes = lanes
        self.logger = logger
        ageWhenPolled = Timer(label: "asysta_consumer_record_age_seconds", dimensions: [("consumer", name)])
        laneWait = Timer(label: "asysta_consumer_lane_wait_seconds", dimensions: [("consumer", name)])
    }

    /// Polling never waits for the lanes: batches are polled and decoded as records
    /// come, split by record key, and each part posted to its lane. A lane that comes
    /// free takes everything posted to it so far as one transaction, so a record waits
    /// for at most its own lane's current transaction, and under a backlog the parts
    /// merge into large transactions. A key always falls in the same lane, so its
    /// records (a participant's entries) are applied in their order; keys, unlike
    /// partitions, split every batch evenly, however few partitions one poll returned.
    /// Offsets are stored in poll order once every part of a batch and of the batches
    /// before it is applied (`BatchLedger`), and polling pauses while two full batches'
    /// worth of records are in work, so a backlog waits in the broker, not in memory.
    public func run() async throws {
        let ledger = BatchLedger(consumer: consumer, limit: 2 * consumer.maxBatchSize)
        let mailboxes = (0..<lanes).map { _ in LaneMailbox() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for mailbox in mailboxes {
                group.addTask {
                    do {
                        while let parts = await mailbox.takeAll(), !ledger.hasFailed {
                            let taken = ContinuousClock.now
                            for part in parts {
                                for _ in part.items { laneWait.record(duration: taken - part.polled) }
                            }
                            try await applyUntilItSticks(parts.flatMap(\.items))
                            try ledger.finish(parts.map(\.batch))
                        }
                    } catch {
                        // A lane that fails stops the polling and the other lanes.
                        ledger.fail()
                        for mailbox in mailboxes { mailbox.finish() }
                        throw error
                    }
                }
            }
            do {
                while await ledger.hasRoom(), let (batch, items, polled) = try await nextBatch() {
                    var parts = Array(repeating: [Item](), count: lanes)
                    for item in items { parts[lane(key: item.message.key, partition: item.message.partition)].append(item) }
                    let number = ledger.open(batch, parts: parts.count { !$0.isEmpty })
                    for (lane, items) in parts.enumerated() where !items.isEmpty {
                        mailboxes[lane].post(Part(items: items, batch: number, polled: polled))
                    }
                }
            } catch {
                for mailbox in mailboxes { mailbox.finish() }
                throw error
            }
            for mailbox in mailboxes { mailbox.finish() }
            try await group.waitForAll()
        }
        logger.info("event consumer stopped", metadata: ["consumer": "\(name)"])
    }

    /// The lane of a record's key (FNV-1a); a record without a key goes by its partition.
    func lane(key: [UInt8]?, partition: Int32) -> Int {
        guard lanes > 1 else { return 0 }
        guard let key else { return Int(partition) % lanes }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(lanes))
    }

    /// Polls and decodes one batch, noting when it was polled; nil once the consumer closes or the service shuts down.
    private func nextBatch() async throws -> ([KafkaMessage], [Item], ContinuousClock.Instant)? {
        // Graceful shutdown interrupts only the wait for records; a batch in hand is finished.
        let batch = try await cancelWhenGracefulShutdown { [consumer] in
            var iterator = consumer.batches.makeAsyncIterator()
            return try await iterator.next()
        }
        guard let batch, !batch.isEmpty else { return nil }
        let polled = ContinuousClock.now
        let wallClock = Date()
        for message in batch {
            if let produced = message.timestamp { ageWhenPolled.recordNanoseconds(max(0, Int64(wallClock.timeIntervalSince(produced) * 1e9))) }
        }
        return (batch, try await batch.concurrentMap { [self] in classify($0) }, polled)
    }

    /// Retries transient failures; a record that fails otherwise is parked alone.
    private func applyUntilItSticks(_ items: [Item]) async throws {
        let started = ContinuousClock.now
        defer { Timer(label: "asysta_consumer_batch_seconds", dimensions: [("consumer", name)]).record(duration: ContinuousClock.now - started) }
        var backoff = Duration.milliseconds(100)
        while true {
            do {
                return try await apply(items)
            } catch  where Self.isTransient(error) {
                logger.warning(
                    "batch failed on a transient error; retrying",
                    metadata: ["consumer": "\(name)", "error": "\(error)", "backoff_ms": "\(backoff.wholeMilliseconds)"])
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            } catch {
                // One record poisons the batch: apply them one by one so only it is parked.
                guard items.count > 1 else { return try await deadLetterAlone(items[0], reason: Self.deadLetter(for: error)) }
                for item in items { try await applyAlone(item) }
                return
            }
        }
    }

    private func applyAlone(_ item: Item) async throws {
        var backoff = Duration.milliseconds(100)
        while true {
            do {
                return try await apply([item])
            } catch  where Self.isTransient(error) {
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            } catch {
                return try await deadLetterAlone(item, reason: Self.deadLetter(for: error))
            }
        }
    }

    /// A handler's refusal keeps its own code; any other failure is the handler's.
    static func deadLetter(for error: any Error) -> DeadLetter {
        (error as? DeadLetter) ?? DeadLetter(code: "handler-failed", message: String(describing: error))
    }

    private func deadLetterAlone(_ item: Item, reason: DeadLetter) async throws {
        var parked = item
        parked.outcome = .deadLetter(reason)
        try await apply([parked])
    }

    // MARK: - One transaction

    private func apply(_ items: [Item]) async throws {
        let standings = try await pool.withTransaction { connection in
            let standings = try await recordInInbox(items, on: connection)
            var deadLetters: [DeadLetters.Letter] = []
            var run: [any Sendable] = []
            var runType: String?

            func flush() async throws {
                guard let type = runType, !run.isEmpty else { return }
                try await handlers.handlers[type]!.apply(run, connection)
                run.removeAll(keepingCapacity: true)
            }

            for (item, standing) in zip(items, standings) {
                switch (standing, item.outcome) {
                case (.ignored, _), (.redelivered, _):
                    continue
                case (.reusedID, _):
                    deadLetters.append(DeadLetters.Letter(message: item.message, inboxKey: item.coordinates, reason: Self.reusedID(item)))
                    try await handlers.answerReusedID?(item.message, connection)
                case let (.fresh, .deadLetter(reason)):
                    deadLetters.append(DeadLetters.Letter(message: item.message, inboxKey: item.inboxKey, reason: reason))
                case let (.fresh, .decoded(type, event)):
                    if type != runType {
                        try await flush()
                        runType = type
                    }
                    run.append(event)
                case (.fresh, .skip):
                    continue
                }
            }
            try await flush()
            try await outbox.append(deadLetters.map { deadLetterEvent(for: $0.message, reason: $0.reason) }, on: connection)
            try await DeadLetters.record(deadLetters, consumer: name, on: connection)
            return standings
        }
        for (item, standing) in zip(items, standings) { count(item, standing) }
    }

    /// Where a record stands against what this consumer has seen before.
    enum Standing: Equatable {
        /// Not seen: its outcome (effect or dead letter) takes place.
        case fresh
        /// The same source, id and bytes as a record already handled: a redelivery, skipped.
        case redelivered
        /// An applied source and id with other bytes: a sender's id generator reused it.
        case reusedID
        /// An event of the suite this consumer has no use for.
        case ignored
    }

    /// Inserts first, on the unique key, so what comes back is what has not been seen
    /// before; for the rest, the stored digest tells a redelivery from a reused id. A
    /// reused id is recorded under the record's coordinates, so its own redelivery is
    /// not dead-lettered twice.
    private func recordInInbox(_ items: [Item], on connection: PostgresConnection) async throws -> [Standing] {
        var standings = items.map { $0.isSkip ? Standing.ignored : .redelivered }
        var firstIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() where !item.isSkip && firstIndex[item.inboxKey] == nil {
            firstIndex[item.inboxKey] = index
        }
        guard !firstIndex.isEmpty else { return standings }
        let indices = firstIndex.values.sorted()
        let inserted = try await insert(indices.map { (items[$0].inboxKey, items[$0]) }, on: connection)
        for key in inserted { standings[firstIndex[key]!] = .fresh }

        let seenBefore = items.indices.filter { standings[$0] == .redelivered }
        guard !seenBefore.isEmpty else { return standings }
        let keys = Array(Set(seenBefore.map { items[$0].inboxKey }))
        var digests: [String: String] = [:]
        for row in try await connection.query(
            "SELECT message_key, encode(digest, 'hex') FROM inbox WHERE consumer = \(name) AND message_key = ANY(\(keys)::text[]) AND digest IS NOT NULL"
        ) {
            digests[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        let reused = seenBefore.filter { index in digests[items[index].inboxKey].map { $0 != items[index].digest } ?? false }
        guard !reused.isEmpty else { return standings }
        // The coordinates are unique; a redelivered batch finds them taken and stays silent.
        let parked = try await insert(reused.map { (items[$0].coordinates, items[$0]) }, on: connection)
        for index in reused where parked.contains(items[index].coordinates) { standings[index] = .reusedID }
        return standings
    }

    /// Records each item under its key; returns the keys that were not there yet.
    private func insert(_ rows: [(key: String, item: Item)], on connection: PostgresConnection) async throws -> Set<String> {
        let result = try await connection.query(
            """
            INSERT INTO inbox (consumer, message_key, topic, kafka_partition, kafka_offset, digest)
            SELECT \(name), key, topic, kafka_partition, kafka_offset, decode(digest, 'hex')
            FROM unnest(\(rows.map(\.key))::text[], \(rows.map(\.item.message.topic))::text[], \(rows.map { Int($0.item.message.partition) })::int[],
                        \(rows.map(\.item.message.offset))::bigint[], \(rows.map(\.item.digest))::text[]) AS r(key, topic, kafka_partition, kafka_offset, digest)
            ON CONFLICT DO NOTHING
            RETURNING message_key
            """)
        var inserted = Set<String>()
        for row in result { inserted.insert(try row.decode(String.self, at: 0)) }
        return inserted
    }

    private static func reusedID(_ item: Item) -> DeadLetter {
        let parts = item.inboxKey.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let (source, id) = (parts[0], parts.count > 1 ? parts[1] : "")
        return DeadLetter(
            code: "duplicate-id",
            message:
                "source '\(source.prefix(120))' already sent an event with id '\(id.prefix(120))' and other content; every record needs a fresh id")
    }

    // MARK: - Classifying records

    /// One lane's share of a batch.
    struct Part: Sendable {
        var items: [Item]
        /// The batch's number in the ledger.
        var batch: Int
        /// When its batch was polled: the lane's wait counts from there, decoding included.
        var polled: ContinuousClock.Instant
    }

    struct Item: Sendable {
        enum Outcome: Sendable {
            case decoded(type: String, event: any Sendable)
            case deadLetter(DeadLetter)
            /// An event of the suite this consumer has no use for.
            case skip
        }

        var message: KafkaMessage
        var inboxKey: String
        var outcome: Outcome
        /// SHA-256 of the record's bytes (hex), telling a redelivery from a reused id.
        var digest: String

        init(message: KafkaMessage, inboxKey: String, outcome: Outcome) {
            self.message = message
            self.inboxKey = inboxKey
            self.outcome = outcome
            digest = SHA256.hash(data: message.value).hexadecimal
        }

        var isSkip: Bool { if case .skip = outcome { true } else { false } }
        /// Unique per record: the inbox's key for what has no id of its own, or reused one.
        var coordinates: String { Self.coordinates(of: message) }
        static func coordinates(of message: KafkaMessage) -> String { "kafka:\(message.topic)/\(message.partition)/\(message.offset)" }
    }

    /// Each event type of the suite and the topic it travels on.
    private static let topicOfType = Dictionary(
        EventCatalogue.all.map { ($0.eventType.description, $0.eventType.topic.name) }, uniquingKeysWith: { a, _ in a })

    private func classify(_ message: KafkaMessage) -> Item {
        // Most records are what their topic's handler expects: decode them once, on a
        // guess at their type that the decode checks. The rest are routed on their header.
        if let type = EventCodec.typeHints(in: message.value).first(where: { handlers.handlers[$0] != nil }),
            let (event, header) = try? handlers.handlers[type]!.decode(message)
        {
            return Item(message: message, inboxKey: header.source + "|" + header.id, outcome: .decoded(type: type, event: event))
        }
        // CloudEvents ids are unique per source; the record's coordinates stand in when there is no id.
        let header: EventHeader
        do {
            header = try EventCodec.header(of: message.value)
        } catch {
            return Item(
                message: message, inboxKey: Item.coordinates(of: message),
                outcome: .deadLetter(DeadLetter(code: error.code.rawValue, message: error.message)))
        }
        let key = header.source + "|" + header.id
        guard let handler = handlers.handlers[header.type] else {
            if let topic = Self.topicOfType[header.type] {
                // Another consumer's event on its own topic; on any other topic it is a sender's mistake.
                if message.topic.hasSuffix(topic) { return Item(message: message, inboxKey: key, outcome: .skip) }
                return Item(
                    message: message, inboxKey: key,
                    outcome: .deadLetter(
                        DeadLetter(
                            code: EventDecodingError.Code.typeMismatch.rawValue,
                            message: "events of type '\(header.type)' travel on \(topic), not on this topic")))
            }
            return Item(
                message: message, inboxKey: key,
                outcome: .deadLetter(
                    DeadLetter(
                        code: EventDecodingError.Code.unknownType.rawValue,
                        message: "no event type '\(header.type.prefix(120))' is known on this topic")))
        }
        do {
            return Item(message: message, inboxKey: key, outcome: .decoded(type: header.type, event: try handler.decode(message).event))
        } catch {
            return Item(message: message, inboxKey: key, outcome: .deadLetter(DeadLetter(code: error.code.rawValue, message: error.message)))
        }
    }

    private func deadLetterEvent(for message: KafkaMessage, reason: DeadLetter) -> OutgoingEvent {
        let truncation = message.value.count > Self.maximumDeadLetterPayload ? ["asysta-dlq-original-bytes": "\(message.value.count)"] : [:]
        logger.warning(
            "record sent to the dead-letter topic",
            metadata: [
                "consumer": "\(name)", "topic": "\(message.topic)", "partition": "\(message.partition)",
                "offset": "\(message.offset)", "reason": "\(reason.code)",
            ])
        return OutgoingEvent(
            id: randomUUIDString(),
            topic: message.topic + ".dlq",
            key: message.key.map { String(decoding: $0, as: UTF8.self) } ?? "",
            type: "dead-letter",
            payload: Array(message.value.prefix(Self.maximumDeadLetterPayload)),
            headers: truncation.merging([
                "asysta-dlq-reason": reason.code,
                "asysta-dlq-message": String(reason.message.prefix(500)),
                "asysta-dlq-topic": message.topic,
                "asysta-dlq-partition": "\(message.partition)",
                "asysta-dlq-offset": "\(message.offset)",
                "asysta-dlq-consumer-group": name,
            ]) { a, _ in a }
        )
    }

    /// A dead letter keeps at most this much of its record: a multi-megabyte record
    /// would exceed the producer's message size and never leave the outbox.
    static let maximumDeadLetterPayload = EventCodec.maximumSize

    private func count(_ item: Item, _ standing: Standing) {
        let outcome =
            switch (standing, item.outcome) {
            case (.ignored, _): "skipped"
            case (.redelivered, _): "redelivered"
            case (.reusedID, _), (.fresh, .deadLetter): "dead-lettered"
            case (.fresh, _): "applied"
            }
        if standing == .redelivered {
            logger.debug(
                "redelivered record skipped",
                metadata: [
                    "consumer": "\(name)", "topic": "\(item.message.topic)", "partition": "\(item.message.partition)",
                    "offset": "\(item.message.offset)",
                ])
        }
        Counter(label: "asysta_events_consumed_total", dimensions: [("consumer", name), ("outcome", outcome)]).increment()
    }

    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresError: error.isRetriable || error.kind == .connection
        case let error as KafkaError: error.isRetriable
        default: false
        }
    }
}
