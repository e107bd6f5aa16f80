import Logging

/// Transaction isolation levels, as in `BEGIN ISOLATION LEVEL …`.
public enum PostgresIsolation: Sendable, Hashable {
    case readCommitted, repeatableRead, serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}

extension PostgresPool {
    /// BEGIN (isolation) … COMMIT; ROLLBACK on error. Retries the whole closure on
    /// serialization failure (40001), deadlock (40P01) and lost connections, up to
    /// `maxAttempts` with jittered exponential backoff — so the closure must be safe to re-run
    /// (no side effects outside the database, or idempotent ones: defer the others
    /// with `PostgresConnection.afterCommit`).
    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted,
        maxAttempts: Int = 5,
        actorIsolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    // Sent with the body's first statement.
                    connection.deferBegin("BEGIN ISOLATION LEVEL \(isolation.sql)")
                    _ = connection.collectAfterCommit(true)
                    let result: T
                    do {
                        result = try await body(connection)
                    } catch {
                        _ = connection.collectAfterCommit(false)
                        // Best effort: if the connection died, the server already rolled back.
                        if connection.takePendingBegin() == nil { _ = try? await connection.execute("ROLLBACK") }
                        throw error
                    }
                    do {
                        if connection.takePendingBegin() == nil { try await connection.execute("COMMIT") }
                    } catch {
                        _ = connection.collectAfterCommit(false)
                        _ = try? await connection.execute("ROLLBACK")
                        throw error
                    }
                    for action in connection.collectAfterCommit(false) { action() }
                    return result
                }
            } catch let error as PostgresError where error.isRetriable && attempt < maxAttempts {
                // Full jitter: conflicting transactions should not wake up in lockstep again.
                let cap = min(1_000, 10 << attempt)
                let delay = Int.random(in: 1...cap)
                logger.debug(
                    "retrying postgres transaction",
                    metadata: ["attempt": "\(attempt)", "sqlState": "\(error.sqlState ?? "-")", "delay_ms": "\(delay)"]
                )
                attempt += 1
                try await Task.sleep(for: .milliseconds(delay))
            }
        }
    }
}
