import Domain
import FoundationEssentials

/// Everything one batch of entries is checked against, held in memory: the
/// reference data, the entries' earlier versions and the counted entries of the
/// batch's assistants and participants. `decide` answers one submission and, when
/// it is accepted, updates the ledger, so later entries of the same batch see it.
struct Ledger: Sendable {
    var policy = TimesheetPolicy()
    var editions: [EditionID: EditionFacts] = [:]
    var providers: Set<ProviderID> = []
    /// Each known assistant and the provider employing them.
    var assistants: [AssistantID: ProviderID] = [:]
    /// The register of assistants for the batch's assistants: the newest record of each kind.
    var qualifications: [AssistantID: [QualificationKind: AssistantQualificationRecorded]] = [:]
    var orders: [OrderID: OrderFacts] = [:]
    var grants: [ParticipantID: [GrantFacts]] = [:]
    var closedMonths: Set<ClosedMonth> = []
    var histories: [EntryKey: EntryHistory] = [:]
    /// Counted entries near the batch's times, by assistant and by participant.
    private(set) var byAssistant: [AssistantID: [CountedEntry]] = [:]
    private(set) var byParticipant: [ParticipantID: [CountedEntry]] = [:]
    /// Counted minutes per participant and edition (all of them, not only near ones).
    var usedMinutes: [ParticipantEdition: Int] = [:]
    /// What storage held when the ledger was loaded: `usedMinutes` less this is the batch's change.
    private var storedMinutes: [ParticipantEdition: Int] = [:]

    struct ParticipantEdition: Hashable, Sendable {
        var participantID: ParticipantID
        var editionID: EditionID
    }

    init(policy: TimesheetPolicy = TimesheetPolicy()) {
        self.policy = policy
    }

    /// The counted minutes storage holds for a participant in an edition.
    mutating func loadUsedMinutes(_ minutes: Int, for key: ParticipantEdition) {
        usedMinutes[key] = minutes
        storedMinutes[key] = minutes
    }

    /// How the answers decided so far move each participant's counted minutes
    /// (a correction may move them between participants); unchanged ones left out.
    var usageChanges: [ParticipantEdition: Int] {
        usedMinutes.reduce(into: [:]) { changes, used in
            let change = used.value - storedMinutes[used.key, default: 0]
            if change != 0 { changes[used.key] = change }
        }
    }

    /// Adds a counted entry loaded from storage (for overlap and 24-hour checks).
    mutating func addCounted(_ entry: CountedEntry) {
        byAssistant[entry.assistantID, default: []].append(entry)
        byParticipant[entry.participantID, default: []].append(entry)
    }

    // MARK: - Deciding

    mutating func decide(_ entry: TimesheetEntrySubmitted) -> Verdict {
        let key = EntryKey(providerID: entry.providerID, entryID: entry.entryID)
        let history = histories[key]

        if let history {
            if let voidedBy = history.voidedBy {
                return .rejected(
                    .entryVoided,
                    "Entry \(entry.entryID) was withdrawn by its void (sequence \(voidedBy)); nothing can change it now. Submit the work under a new entry id."
                )
            }
            if entry.sequence < history.highestSequence {
                return .rejected(
                    .staleSequence,
                    "Entry \(entry.entryID) already has sequence \(history.highestSequence); sequence \(entry.sequence) is older and was ignored. Send changes with a sequence above \(history.highestSequence)."
                )
            }
        }
        let verdict = entry.action == .void ? decideVoid(entry, key: key, history: history) : decideSubmission(entry, key: key, history: history)
        record(verdict, key: key, sequence: entry.sequence)
        return verdict
    }

    private func decideVoid(_ entry: TimesheetEntrySubmitted, key: EntryKey, history: EntryHistory?) -> Verdict {
        guard let previous = history?.counted else {
            return .rejected(
                .unknownEntry, "Entry \(entry.entryID) has no accepted version to withdraw. Check the entry id; a rejected entry needs no void.")
        }
        return .voided(previous: previous, remainingMinutes: remaining(after: -previous.minutes, for: previous.participantID, in: previous.editionID))
    }

    private func decideSubmission(_ entry: TimesheetEntrySubmitted, key: EntryKey, history: EntryHistory?) -> Verdict {
        let previous = history?.counted

        // Who and what the entry names.
        guard providers.contains(entry.providerID) else {
            return .rejected(
                .unknownProvider,
                "Provider \(entry.providerID) is not registered with MOPS for any edition. Check the providerID in your entries or contact MOPS.")
        }
        guard let employer = assistants[entry.assistantID], employer == entry.providerID else {
            return .rejected(
                .unknownAssistant,
                "Assistant \(entry.assistantID) is not registered as an assistant of provider \(entry.providerID). Check the assistant id or register the assistant with MOPS."
            )
        }
        guard let order = orders[entry.orderID] else {
            return .rejected(.unknownOrder, "Order \(entry.orderID) is not known. Check the order id on the assignment you received.")
        }
        if let cancelledAt = order.cancelledAt {
            return .rejected(
                .unknownOrder,
                "Order \(entry.orderID) was cancelled at \(Formatting.instant(cancelledAt)); hours cannot be accounted for a cancelled order. Contact MOPS if the service was delivered anyway."
            )
        }
        guard let participantGrants = grants[entry.participantID], !participantGrants.isEmpty else {
            return .rejected(
                .unknownParticipant, "Participant \(entry.participantID) has no grant of support. Check the participant id on the order.")
        }
        guard order.providerID == entry.providerID, order.assistantID == entry.assistantID else {
            let assigned = order.assistantID.map { "assistant \($0) of provider \(order.providerID?.rawValue ?? "?")" } ?? "nobody yet"
            return .rejected(
                .orderNotAssigned,
                "Order \(entry.orderID) is assigned to \(assigned), not to assistant \(entry.assistantID) of provider \(entry.providerID). Check the order and assistant ids."
            )
        }
        guard order.participantID == entry.participantID else {
            return .rejected(
                .invalidEntry,
                "Order \(entry.orderID) is for participant \(order.participantID), not \(entry.participantID). Check the participant id.")
        }

        // When.
        let tolerance = policy.orderTolerance
        guard entry.start >= order.start.addingTimeInterval(-tolerance), entry.end <= order.end.addingTimeInterval(tolerance) else {
            return .rejected(
                .outsideOrder,
                "The entry \(Formatting.span(entry.start, entry.end)) lies outside order \(entry.orderID), \(Formatting.span(order.start, order.end)). Correct the times or ask MOPS to change the order."
            )
        }
        guard let edition = editions[order.editionID] else {
            return .rejected(.outsideEdition, "Edition \(order.editionID) of order \(entry.orderID) is not open in timesheet. Contact MOPS.")
        }
        let firstDay = CalendarDate(entry.start)
        let lastDay = CalendarDate(entry.end.addingTimeInterval(-1))
        guard edition.period.contains(firstDay), edition.period.contains(lastDay) else {
            return .rejected(
                .outsideEdition,
                "The entry \(Formatting.span(entry.start, entry.end)) lies outside edition \(edition.id), which runs \(edition.period.start) to \(edition.period.end). Correct the date."
            )
        }
        let editionGrants = participantGrants.filter { $0.editionID == edition.id }
        guard
            editionGrants.contains(where: {
                $0.period.contains(firstDay) && $0.period.contains(lastDay) && ($0.revokedOn.map { lastDay <= $0 } ?? true)
            })
        else {
            let periods = editionGrants.map { grant in
                "\(grant.period.start) to \(grant.revokedOn.map { min($0, grant.period.end) } ?? grant.period.end)"
            }
            let covered = periods.isEmpty ? "has no grant in edition \(edition.id)" : "is covered only \(periods.joined(separator: ", "))"
            return .rejected(
                .outsideEdition,
                "Participant \(entry.participantID) \(covered); the entry \(Formatting.span(entry.start, entry.end)) is not covered. Correct the date."
            )
        }
        switch QualificationShortfall.first(
            of: edition.requiredQualifications, in: qualifications[entry.assistantID] ?? [:], from: firstDay, through: lastDay)
        {
        case let .missing(kind):
            return .rejected(
                .assistantNotQualified,
                "Under \(edition.id) the assistant \(entry.assistantID) must hold \(kind.rawValue) on \(firstDay); the register of assistants has no such record from that day. Record it in ordering (PUT /providers/\(entry.providerID)/assistants/\(entry.assistantID)/qualifications/\(kind.rawValue)), then send the entry again with a higher sequence."
            )
        case let .expired(lapsed):
            return .rejected(
                .qualificationExpired,
                "Under \(edition.id) the assistant \(entry.assistantID) must hold \(lapsed.kind.rawValue) through \(lastDay); it ended on \(lapsed.validUntil.map(\.description) ?? "-"). Record its renewal in ordering, then send the entry again with a higher sequence."
            )
        case nil: break
        }
        let month = YearMonth(year: firstDay.year, month: firstDay.month)!
        let hasReason = !(entry.reason ?? "").trimmed.isEmpty
        if let previous {
            let closed = [previous.month, month].filter { closedMonths.contains(ClosedMonth(editionID: edition.id, month: $0)) }
            if let closedMonth = closed.first, !hasReason {
                return .rejected(
                    .monthClosed,
                    "Month \(closedMonth) of edition \(edition.id) is closed; a correction to it needs a reason. Send the correction again with a higher sequence and a reason."
                )
            }
        } else if closedMonths.contains(ClosedMonth(editionID: edition.id, month: month)) {
            return .rejected(
                .monthClosed,
                "Month \(month) of edition \(edition.id) is closed; new entries for it are not accepted. Contact MOPS if this work must still be paid."
            )
        }

        // Against other entries (the entry's own counted version is being replaced).
        let span = WorkSpan(start: entry.start, end: entry.end)
        let assistantEntries = byAssistant[entry.assistantID] ?? []
        if let (other, seconds) = WorkingTime.firstOverlap(of: span, in: assistantEntries, excluding: key, allowance: policy.overlapAllowance) {
            return .rejected(
                .assistantOverlap,
                "The assistant \(entry.assistantID) already has an accepted entry \(Formatting.span(other.start, other.end)) (entry \(other.key.entryID)) overlapping this one by \(Int(seconds / 60)) minutes; correct one of them."
            )
        }
        if let (other, seconds) = WorkingTime.firstOverlap(
            of: span, in: byParticipant[entry.participantID] ?? [], excluding: key,
            allowance: policy.overlapAllowance)
        {
            let whose = other.key.providerID == entry.providerID ? "entry \(other.key.entryID)" : "an entry of another provider"
            return .rejected(
                .participantOverlap,
                "The participant \(entry.participantID) already has an accepted entry \(Formatting.span(other.start, other.end)) (\(whose)) overlapping this one by \(Int(seconds / 60)) minutes; correct one of them."
            )
        }
        let others = assistantEntries.lazy.filter { $0.key != key }.map(\.span)
        if let window = DailyLimit.busiestWindow(with: span, others: others, limitHours: edition.assistantDailyLimitHours) {
            // Rounded up, so a few seconds over the limit never reads as exactly the limit.
            let minutes = Int((window.seconds / 60).rounded(.up))
            return .rejected(
                .assistantDailyLimit,
                "With this entry the assistant \(entry.assistantID) would work \(Format.hours(minutes)) in the 24 hours from \(Formatting.instant(window.start)); at most \(edition.assistantDailyLimitHours) h are allowed. Correct the times or give part of the work to another assistant."
            )
        }

        // The allowance.
        let counted = CountedEntry(
            key: key, sequence: entry.sequence, assistantID: entry.assistantID, participantID: entry.participantID, orderID: entry.orderID,
            editionID: edition.id, start: entry.start, end: entry.end, month: month, expenses: entry.expenses)
        let allowance = editionGrants.reduce(0) { $0 + $1.hours * 60 }
        var used = usedMinutes[ParticipantEdition(participantID: entry.participantID, editionID: edition.id)] ?? 0
        if let previous, previous.participantID == entry.participantID, previous.editionID == edition.id { used -= previous.minutes }
        guard used + counted.minutes <= allowance else {
            return .rejected(
                .allowanceExceeded,
                "Participant \(entry.participantID) has \(Format.hours(max(0, allowance - used))) left of \(Format.hours(allowance)) granted in edition \(edition.id); this entry needs \(Format.hours(counted.minutes)). Shorten the entry or ask MOPS about the allowance."
            )
        }
        let remaining = allowance - used - counted.minutes
        if let previous {
            return .corrected(counted, previous: previous, remainingMinutes: remaining)
        }
        return .accepted(counted, remainingMinutes: remaining)
    }

    /// The participant's allowance left in an edition after a change of `delta` minutes.
    private func remaining(after delta: Int, for participantID: ParticipantID, in editionID: EditionID) -> Int {
        let allowance = (grants[participantID] ?? []).filter { $0.editionID == editionID }.reduce(0) { $0 + $1.hours * 60 }
        return allowance - (usedMinutes[ParticipantEdition(participantID: participantID, editionID: editionID)] ?? 0) - delta
    }

    // MARK: - Remembering the answer

    private mutating func record(_ verdict: Verdict, key: EntryKey, sequence: Int) {
        var history = histories[key] ?? EntryHistory(highestSequence: sequence, voidedBy: nil, counted: nil)
        history.highestSequence = max(history.highestSequence, sequence)
        switch verdict {
        case .rejected:
            break
        case let .accepted(entry, _):
            count(entry)
            history.counted = entry
        case let .corrected(entry, previous, _):
            uncount(previous)
            count(entry)
            history.counted = entry
        case let .voided(previous, _):
            uncount(previous)
            history.counted = nil
            history.voidedBy = sequence
        }
        histories[key] = history
    }

    private mutating func count(_ entry: CountedEntry) {
        addCounted(entry)
        usedMinutes[ParticipantEdition(participantID: entry.participantID, editionID: entry.editionID), default: 0] += entry.minutes
    }

    private mutating func uncount(_ entry: CountedEntry) {
        byAssistant[entry.assistantID]?.removeAll { $0.key == entry.key }
        byParticipant[entry.participantID]?.removeAll { $0.key == entry.key }
        usedMinutes[ParticipantEdition(participantID: entry.participantID, editionID: entry.editionID), default: 0] -= entry.minutes
    }
}
