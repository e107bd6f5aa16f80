import Logging
import Postgres
import Synchronization
import TestSupport

/// A pool on a fresh database of the shared test server; closed when `body` returns.
func withTestPool<T: Sendable>(
    poolSize: Int = 8,
    _ body: (PostgresPool) async throws -> T
) async throws -> T {
    var configuration = try await TestPostgres.shared.createDatabase()
    configuration.poolSize = poolSize
    return try await PostgresPool.with(configuration, logger: Logger(label: "test"), body)
}

/// Runs every closure concurrently and collects their results in order.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        for i in 0..<count { group.addTask { (i, try await body(i)) } }
        var results = [T?](repeating: nil, count: count)
        for try await (i, value) in group { results[i] = value }
        return results.map { $0! }
    }
}

/// Lets `parties` tasks wait for each other, so a test can force two transactions to overlap.
actor Barrier {
    private let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arriveAndWait() async {
        arrived += 1
        if arrived >= parties {
            for continuation in waiting { continuation.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// A thread-safe counter for "how often did the body run".
final class Counter: Sendable {
    private let value = Mutex(0)
    @discardableResult func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
    var current: Int { value.withLock { $0 } }
}
