import FoundationEssentials
import Synchronization

/// Values kept until they expire, at most `capacity` of them: when full, it forgets
/// the expired, and everything if none has, so memory stays bounded however many
/// come. What the verifier remembers of checked tokens and the signer of minted ones.
final class ExpiringMemory<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, expires: Date)]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { entries.withLock { $0.count } }

    /// The value kept for `key` and when it expires, expired or not.
    func entry(for key: Key) -> (value: Value, expires: Date)? {
        entries.withLock { $0[key] }
    }

    func forget(_ key: Key) {
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }

    func remember(_ value: Value, for key: Key, until expires: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                let now = Date()
                entries = entries.filter { now < $0.value.expires }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = (value, expires)
        }
    }
}
