import Logging
import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("Pool")
struct PoolTests {
    @Test("more concurrent borrowers than connections all complete, never exceeding poolSize")
    func oversubscribed() async throws {
        try await withTestPool(poolSize: 3) { pool in
            let lent = Mutex((now: 0, max: 0))
            let results = try await concurrently(40) { i in
                try await pool.withConnection { conn in
                    lent.withLock {
                        $0.now += 1
                        $0.max = max($0.max, $0.now)
                    }
                    defer { lent.withLock { $0.now -= 1 } }
                    return try await conn.query("SELECT \(i), pg_sleep(0.01)").first!.decode(Int.self, at: 0)
                }
            }
            #expect(results == Array(0..<40))
            #expect(lent.withLock { $0.max } <= 3)
            let sessions = try await pool.withConnection { conn in
                try await conn.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").first!.decode(Int.self, at: 0)
            }
            #expect(sessions <= 3)
        }
    }

    @Test("ping answers true against a live server")
    func ping() async throws {
        try await withTestPool { pool in
            // Connected first: on a loaded machine a new connection alone can take longer than the probe's 2 s.
            _ = try await pool.withConnection { try await $0.query("SELECT 1") }
            #expect(await pool.ping())
        }
    }

    @Test("cancelling the task cancels the running query")
    func cancellation() async throws {
        try await withTestPool(poolSize: 1) { pool in
            // Connected first: opening the connection is not what is measured, and takes
            // seconds when every suite starts its servers at once; so can the cancel request's own.
            _ = try await pool.withConnection { try await $0.query("SELECT 1") }
            let clock = ContinuousClock()
            let task = Task { try await pool.withConnection { try await $0.execute("SELECT pg_sleep(30)") } }
            try await Task.sleep(for: .milliseconds(200))
            let cancelled = clock.now
            task.cancel()
            let error = await #expect(throws: PostgresError.self) { try await task.value }
            #expect(error?.sqlState == "57014")
            #expect(clock.now - cancelled < .seconds(15), "long before the statement would have ended")
            // The single connection is fine afterwards.
            #expect(try await pool.withConnection { try await $0.query("SELECT 1").count } == 1)
        }
    }

    @Test("a borrower on an actor is bridged to its connection: a transaction commits or rolls back whole, and cancelling it cancels its query")
    func borrowerOnAnActor() async throws {
        try await withTestPool(poolSize: 1) { pool in
            let ledger = ActorBorrower(pool: pool)
            try await pool.withConnection { try await $0.execute("CREATE TABLE ledger (n int)") }
            #expect(try await ledger.insert([1, 2, 3], failing: false) == 3)
            await #expect(throws: PostgresError.self) { try await ledger.insert([4, 5], failing: true) }
            #expect(try await pool.withConnection { try await $0.query("SELECT sum(n) FROM ledger")[0].decode(Int.self, at: 0) } == 6)
            let task = Task { try await ledger.sleep() }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let error = await #expect(throws: PostgresError.self) { try await task.value }
            #expect(error?.sqlState == "57014")
        }
    }

    @Test("the pool recovers after the server restarts")
    func survivesRestart() async throws {
        let server = try await TestPostgres.startPrivate()
        defer { Task { await server.stop() } }
        var configuration = try await server.createDatabase(prefix: "restart")
        configuration.poolSize = 2
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
        defer { Task { await pool.close() } }

        try await pool.withConnection { try await $0.execute("CREATE TABLE t (v int)") }
        // Warm both connections so stale ones sit idle in the pool during the restart.
        _ = try await concurrently(2) { _ in try await pool.withConnection { try await $0.execute("SELECT pg_sleep(0.05)") } }

        // A query running during the restart fails with a retriable error.
        let inFlight = Task { try await pool.withConnection { try await $0.execute("SELECT pg_sleep(5)") } }
        try await Task.sleep(for: .milliseconds(300))
        try await server.restart()
        let error = await #expect(throws: PostgresError.self) { try await inFlight.value }
        #expect(error?.isRetriable == true)

        // Idle connections were broken by the restart; they are replaced transparently.
        for i in 0..<4 {
            try await pool.withConnection { try await $0.execute("INSERT INTO t VALUES (\(i))") }
        }
        try await pool.withTransaction { try await $0.execute("INSERT INTO t VALUES (99)") }
        #expect(await pool.ping())
        let count = try await pool.withConnection { try await $0.query("SELECT count(*) FROM t").first!.decode(Int.self, at: 0) }
        #expect(count == 5)

        // With the server gone, ping says so within its timeout instead of hanging.
        await server.stop()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await pool.ping(timeout: .seconds(1)) == false)
        #expect(clock.now - start < .seconds(3))
    }

    @Test("a closed pool refuses new work")
    func closed() async throws {
        let configuration = try await TestPostgres.shared.createDatabase()
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
        try await pool.withConnection { try await $0.execute("SELECT 1") }
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
        #expect(error?.kind == .pool)
    }
}

/// Uses the pool from an actor's isolation, where statements cannot run in place on the
/// connection's thread and each is bridged there.
private actor ActorBorrower {
    let pool: PostgresPool
    init(pool: PostgresPool) { self.pool = pool }

    /// Inserts the numbers one statement each; `failing` ends with a statement that fails.
    func insert(_ numbers: [Int], failing: Bool) async throws -> Int {
        try await pool.withTransaction { connection in
            for n in numbers { try await connection.execute("INSERT INTO ledger VALUES (\(n))") }
            if failing { try await connection.execute("SELECT 1 / 0") }
            return try await connection.query("SELECT count(*) FROM ledger")[0].decode(Int.self, at: 0)
        }
    }

    func sleep() async throws {
        try await pool.withConnection { try await $0.execute("SELECT pg_sleep(10)") }
    }
}
