import Synchronization

/// What the outbox hands this process's relay once a transaction that wrote events
/// has committed: a wake-up, so they leave within milliseconds instead of at the
/// next poll, and the events themselves, by outbox position, so the relay publishes
/// them without reading their bytes back from PostgreSQL. Handing over only after
/// the commit matters: a relay woken earlier finds nothing and sleeps out its poll.
///
/// Only the relay's own reading of the table decides what is published: an event
/// is taken from here only for a position it found, and rows are never changed, so
/// a held event is that row. What the relay falls too far behind to take ages out
/// and, like what another replica wrote, is read from the table. One waiter at a
/// time: the relay.
public final class OutboxHandoff: Sendable {
    /// An event held for the relay, and when its transaction committed.
    struct Held: Sendable {
        var event: OutgoingEvent
        var committed: ContinuousClock.Instant
    }

    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var events: [Int64: Held] = [:]
        /// Positions in the order handed over, oldest first from `oldest`.
        var order: [Int64] = []
        var oldest = 0
    }

    private let state = Mutex(State())
    /// How many events are held at most: a relay that falls further behind reads the rest.
    private let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// Wakes the relay without handing anything over.
    private func signal() {
        hand([])
    }

    /// Hands over events just committed, in position order, and wakes the relay.
    func hand(_ events: [(position: Int64, event: OutgoingEvent)]) {
        let committed = ContinuousClock.now
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            for (position, event) in events where state.events.updateValue(Held(event: event, committed: committed), forKey: position) == nil {
                state.order.append(position)
            }
            while state.events.count > capacity, state.oldest < state.order.count {
                state.events[state.order[state.oldest]] = nil
                state.oldest += 1
            }
            // Positions the relay took stay in `order` until it is compacted.
            if state.order.count - state.oldest > 2 * capacity {
                let held = state.events
                state.order = state.order[state.oldest...].filter { held[$0] != nil }
                state.oldest = 0
            }
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// The held events at these (committed) positions, no longer held.
    func take(_ positions: [Int64]) -> [Int64: Held] {
        state.withLock { state in
            var taken: [Int64: Held] = [:]
            for position in positions {
                if let event = state.events.removeValue(forKey: position) { taken[position] = event }
            }
            return taken
        }
    }

    /// Returns at the next signal (at once if one came since the last wait) or after `timeout`.
    func wait(timeout: Duration) async {
        if state.withLock({ state in
            defer { state.pending = false }
            return state.pending
        }) {
            return
        }
        // A late timer only leaves `pending` set: the next wait returns at once, one extra poll.
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.signal()
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
    }
}
