import Kafka
import Synchronization

/// The batches polled and not yet applied, in poll order. Lanes finish parts in any
/// order; a batch's offsets are stored once it and every batch before it are done, so
/// no stored offset passes a record still in work.
final class BatchLedger: Sendable {
    private struct Open {
        var messages: [KafkaMessage]
        var remainingParts: Int
    }

    private struct State {
        var open: [Int: Open] = [:]
        var oldest = 0
        var next = 0
        /// Records of the open batches.
        var records = 0
        var failed = false
        var poller: CheckedContinuation<Bool, Never>?
    }

    private let consumer: KafkaConsumer
    /// Polling pauses while this many records are in work.
    private let limit: Int
    private let state = Mutex(State())

    init(consumer: KafkaConsumer, limit: Int) {
        self.consumer = consumer
        self.limit = limit
    }

    /// Enters a polled batch split into `parts` non-empty parts; returns its number.
    func open(_ messages: [KafkaMessage], parts: Int) -> Int {
        state.withLock { state in
            defer { state.next += 1 }
            state.open[state.next] = Open(messages: messages, remainingParts: parts)
            state.records += messages.count
            return state.next
        }
    }

    /// Marks one part of each of these batches applied, and stores the offsets of
    /// every batch now done with all before it. Stored under the lock, so two lanes
    /// finishing at once cannot store a later batch before an earlier one.
    func finish(_ batches: [Int]) throws(KafkaError) {
        let (poller, failure) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, KafkaError?) in
            for batch in batches { state.open[batch]!.remainingParts -= 1 }
            var done: [KafkaMessage] = []
            while let oldest = state.open[state.oldest], oldest.remainingParts == 0 {
                done += oldest.messages
                state.records -= oldest.messages.count
                state.open[state.oldest] = nil
                state.oldest += 1
            }
            do throws(KafkaError) {
                try consumer.storeOffsets(for: done)
            } catch {
                return (nil, error)
            }
            guard state.records < limit, let poller = state.poller else { return (nil, nil) }
            state.poller = nil
            return (poller, nil)
        }
        poller?.resume(returning: true)
        if let failure { throw failure }
    }

    /// Waits while too many records are in work; false once a lane has failed.
    func hasRoom() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Bool? in
                if state.failed { return false }
                if state.records < limit { return true }
                state.poller = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    var hasFailed: Bool { state.withLock { $0.failed } }

    /// A lane failed: polling stops, and so do the other lanes.
    func fail() {
        let poller = state.withLock { state in
            state.failed = true
            defer { state.poller = nil }
            return state.poller
        }
        poller?.resume(returning: false)
    }
}

/// The parts posted to one lane and not yet taken.
final class LaneMailbox: Sendable {
    private struct State {
        var parts: [EventConsumer.Part] = []
        var finished = false
        var lane: CheckedContinuation<[EventConsumer.Part]?, Never>?
    }

    private let state = Mutex(State())

    func post(_ part: EventConsumer.Part) {
        let lane = state.withLock { state -> CheckedContinuation<[EventConsumer.Part]?, Never>? in
            guard let lane = state.lane else {
                state.parts.append(part)
                return nil
            }
            state.lane = nil
            return lane
        }
        lane?.resume(returning: [part])
    }

    /// No more parts will come; the lane takes what is left, then ends.
    func finish() {
        let lane = state.withLock { state in
            state.finished = true
            defer { state.lane = nil }
            return state.lane
        }
        lane?.resume(returning: nil)
    }

    /// Every part posted since the last take, waiting for one if there is none; nil once finished and empty.
    func takeAll() async -> [EventConsumer.Part]? {
        await withCheckedContinuation { continuation in
            let taken = state.withLock { state -> [EventConsumer.Part]?? in
                if !state.parts.isEmpty {
                    defer { state.parts.removeAll() }
                    return .some(state.parts)
                }
                if state.finished { return .some(nil) }
                state.lane = continuation
                return .none
            }
            if let taken { continuation.resume(returning: taken) }
        }
    }
}
