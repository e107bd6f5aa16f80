import Logging
import Postgres
import TestSupport

/// A pool on a fresh database of the shared test server; closed when `body` returns.
func withTestPool<T: Sendable>(
    poolSize: Int = 8,
    _ body: (PostgresPool) async throws -> T
) async throws -> T {
    var configuration = try await TestPostgres.shared.createDatabase()
    configuration.poolSize = poolSize
    let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
    do {
        let result = try await body(pool)
        await pool.close()
        return result
    } catch {
        await pool.close()
        throw error
    }
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
