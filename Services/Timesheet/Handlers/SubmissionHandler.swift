import Domain
import EventJSON
import FoundationEssentials
import Kafka
import Messaging
import Postgres

/// Answers a batch of NGO entries in the consumer loop's transaction (inbox
/// and outbox included): check the signatures and the contract's rules, store the new versions first
/// (a resent sequence stops there), lock and load what the rules need, decide
/// each entry in order, store the answers and publish them.
struct SubmissionHandler: Sendable {
    let store: EntryStore
    let outbox: Outbox

    /// The NGOs' entries, and the answer to a reused CloudEvents id. An entry that
    /// reads but fails `validate()` is answered `invalid-entry` (the ledger checks it), not parked.
    static func make(store: EntryStore, outbox: Outbox) -> EventHandlers {
        let handler = SubmissionHandler(store: store, outbox: outbox)
        var handlers = EventHandlers()
        handlers.onBatch(TimesheetEntrySubmitted.self, validation: .byHandler) { events, connection in
            try await handler.handle(events, on: connection)
        }
        handlers.onReusedID { message, connection in try await handler.answerReusedID(message, on: connection) }
        return handlers
    }

    func handle(_ events: [IncomingEvent<TimesheetEntrySubmitted>], on connection: PostgresConnection) async throws {
        let now = Date()
        let headers = events.map { event in event.message.header(Signature.headerName).map { String(decoding: $0, as: UTF8.self) } }
        let keyIDs = Set(headers.compactMap { $0.flatMap(Signature.init(header:))?.keyID })
        let keys = try await store.keys(Array(keyIDs), on: connection)
        // Each record's HMAC and the contract's checks are pure: done on every core.
        let problems = try await Array(zip(events, headers)).concurrentMap { event, header in
            (
                signature: SignatureCheck.problem(
                    header: header, value: event.message.value, providerID: event.data.providerID,
                    source: event.envelope.source, keys: keys, now: now),
                validity: EntryValidity.problem(event.data)
            )
        }

        var signed: [(version: SignedVersion, header: EventHeader)] = []
        var seen = Set<VersionKey>()
        var failures: [(entry: TimesheetEntrySubmitted, eventID: String, message: String)] = []
        // Answers are encoded after the loop, on every core, in this order.
        var answers: [@Sendable () throws -> OutgoingEvent] = []
        for (event, (header, problem)) in zip(events, zip(headers, problems)) {
            if let problem = problem.signature {
                failures.append((event.data, event.envelope.id, problem))
                let rejection = TimesheetEntryRejected(
                    providerID: event.data.providerID, entryID: event.data.entryID, sequence: event.data.sequence, code: .badSignature,
                    message: problem)
                answers.append { [outbox] in try outbox.envelope(rejection, causedBy: event.header) }
                continue
            }
            // Answered but not stored: its text may not even fit a column (a NUL in the entry id).
            if let problem = problem.validity {
                let rejection = TimesheetEntryRejected(
                    providerID: event.data.providerID, entryID: event.data.entryID, sequence: event.data.sequence, code: .invalidEntry,
                    message: problem)
                answers.append { [outbox] in try outbox.envelope(rejection, causedBy: event.header) }
                continue
            }
            let version = SignedVersion(entry: event.data, eventID: event.envelope.id, record: event.message.value, signature: header!)
            // The same version twice in one batch is a resend too.
            if seen.insert(version.key).inserted { signed.append((version, event.header)) }
        }
        try await store.recordSignatureFailures(failures, on: connection)

        let fresh = try await store.insertVersions(signed.map(\.version), on: connection)
        let toDecide = signed.filter { fresh.contains($0.version.key) }
        var ledger = try await store.ledger(for: toDecide.map(\.version.entry), on: connection)

        var rows: [OutcomeRow] = []
        var rowIndex: [VersionKey: Int] = [:]
        var superseded: [(VersionKey, by: Int)] = []
        // A contest of a version this batch supersedes ends with it.
        var settling: [(providerID: ProviderID, entryID: String, sequence: Int?, outcome: ContestSettled.Outcome)] = []
        var settlingCause: [VersionKey: EventHeader] = [:]
        for (version, header) in toDecide {
            let entry = version.entry
            let verdict = ledger.decide(entry)
            switch verdict {
            case let .corrected(_, previous, _), let .voided(previous, _):
                let previousKey = VersionKey(entry: previous.key, sequence: previous.sequence)
                if let index = rowIndex[previousKey] {
                    rows[index].supersededBy = entry.sequence
                } else {
                    superseded.append((previousKey, entry.sequence))
                    let outcome: ContestSettled.Outcome = if case .voided = verdict { .voided } else { .corrected }
                    settling.append((entry.providerID, entry.entryID, previous.sequence, outcome))
                    settlingCause[previousKey] = header
                }
            case .accepted, .rejected:
                break
            }
            rowIndex[version.key] = rows.count
            rows.append(OutcomeRow(version: version.key, verdict: verdict))
            answers.append { [self] in try answer(verdict, to: entry, causedBy: header) }
        }
        // The answers are encoded while PostgreSQL stores the outcomes: on the global
        // executor, as this task's own (the connection's thread) waits on the database.
        try await withThrowingTaskGroup(of: [OutgoingEvent].self) { encoding in
            encoding.addTask(executorPreference: globalConcurrentExecutor) { [answers] in try await answers.concurrentMap { try $0() } }
            try await store.saveOutcomes(rows, superseded: superseded, usage: ledger.usageChanges, on: connection)
            let settled = try await CardStore.settle(settling, on: connection).map { settlement in
                let key = VersionKey(entry: .init(providerID: settlement.providerID, entryID: settlement.entryID), sequence: settlement.sequence)
                return try outbox.envelope(settlement, causedBy: settlingCause[key])
            }
            try await outbox.append(try await encoding.next()! + settled, on: connection)
        }
    }

    /// Tells the NGO its id generator reused an applied entry's CloudEvents id (the record
    /// itself is dead-lettered by the loop). The record may not decode, so what the answer
    /// needs is read loosely; the provider comes from `source`, as for the signature, and
    /// a record without a provider's source is left to the dead letter alone.
    func answerReusedID(_ message: KafkaMessage, on connection: PostgresConnection) async throws {
        guard let header = try? EventCodec.header(of: message.value), header.source.hasPrefix("/providers/") else { return }
        let provider = String(header.source.dropFirst("/providers/".count))
        guard !provider.isEmpty, provider.count <= 128 else { return }
        let data = (try? JSONDecoder().decode(LooseRecord.self, from: Data(message.value)))?.data
        let rejection = TimesheetEntryRejected(
            providerID: ProviderID(provider), entryID: data?.entryID ?? "", sequence: data?.sequence ?? 0,
            code: .duplicateID,
            message:
                "Another record with this CloudEvents id ('\(header.id.prefix(80))') was already applied, so this one was not: give every record a fresh id and send it again."
        )
        try await outbox.append([try outbox.envelope(rejection, causedBy: header)], on: connection)
    }

    /// What the answer to a reused id reads of a record that may not decode as an entry:
    /// each field on its own, so a wrong `sequence` still leaves the entry id.
    private struct LooseRecord: Decodable {
        struct Fields: Decodable {
            var entryID: String?
            var sequence: Int?

            enum CodingKeys: String, CodingKey { case entryID, sequence }

            init(from decoder: any Decoder) throws {
                let fields = try decoder.container(keyedBy: CodingKeys.self)
                entryID = try? fields.decode(String.self, forKey: .entryID)
                sequence = try? fields.decode(Int.self, forKey: .sequence)
            }
        }
        var data: Fields?
    }

    /// The event that tells the NGO (and ordering, and reporting) the answer.
    private func answer(_ verdict: Verdict, to entry: TimesheetEntrySubmitted, causedBy header: EventHeader) throws -> OutgoingEvent {
        switch verdict {
        case let .accepted(counted, remaining):
            return try outbox.envelope(
                HoursAccounted(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: entry.sequence, participantID: counted.participantID,
                    assistantID: counted.assistantID, orderID: counted.orderID, editionID: counted.editionID, start: counted.start, end: counted.end,
                    month: counted.month, minutes: counted.minutes, expenses: counted.expenses, remainingMinutes: remaining), causedBy: header)
        case let .corrected(counted, previous, remaining):
            return try outbox.envelope(
                TimesheetEntryCorrected(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: entry.sequence, supersededSequence: previous.sequence,
                    participantID: counted.participantID, assistantID: counted.assistantID, orderID: counted.orderID, editionID: counted.editionID,
                    start: counted.start, end: counted.end, month: counted.month, previousMonth: previous.month, minutes: counted.minutes,
                    previousMinutes: previous.minutes, expenses: counted.expenses, previousExpenses: previous.expenses, reason: entry.reason,
                    remainingMinutes: remaining), causedBy: header)
        case let .voided(previous, remaining):
            return try outbox.envelope(
                TimesheetEntryVoided(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: entry.sequence, participantID: previous.participantID,
                    assistantID: previous.assistantID, orderID: previous.orderID, editionID: previous.editionID, month: previous.month,
                    minutes: previous.minutes, expenses: previous.expenses, reason: entry.reason ?? "", remainingMinutes: remaining), causedBy: header
            )
        case let .rejected(code, message):
            return try outbox.envelope(
                TimesheetEntryRejected(
                    providerID: entry.providerID, entryID: entry.entryID, sequence: entry.sequence,
                    code: code, message: message), causedBy: header)
        }
    }
}
