import Postgres
import Synchronization
import Testing

struct Oops: Error {}

@Suite("Transactions")
struct TransactionTests {
    @Test("commit keeps rows; a thrown error rolls back and the connection stays usable")
    func commitAndRollback() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { try await $0.execute("CREATE TABLE t (v int)") }
            let value = try await pool.withTransaction { conn in
                try await conn.execute("INSERT INTO t VALUES (1)")
                return 42
            }
            #expect(value == 42)

            await #expect(throws: Oops.self) {
                try await pool.withTransaction { conn in
                    try await conn.execute("INSERT INTO t VALUES (2)")
                    throw Oops()
                }
            }
            // A server-side error inside the transaction rolls back too.
            await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { conn in
                    try await conn.execute("INSERT INTO t VALUES (3)")
                    try await conn.execute("INSERT INTO t VALUES (1 / 0)")
                }
            }
            let values = try await pool.withConnection { conn in
                try await conn.query("SELECT v FROM t ORDER BY v").map { try $0.decode(Int.self, at: 0) }
            }
            #expect(values == [1])
        }
    }

    @Test("an afterCommit action runs once its transaction committed, never after a rollback, and at once outside a transaction")
    func afterCommit() async throws {
        try await withTestPool(poolSize: 2) { pool in
            try await pool.withConnection { try await $0.execute("CREATE TABLE t (v int)") }
            let seen = Mutex<[Int]>([])
            try await pool.withTransaction { conn in
                try await conn.execute("INSERT INTO t VALUES (1)")
                conn.afterCommit { seen.withLock { $0.append(1) } }
                #expect(seen.withLock { $0 }.isEmpty, "not before the commit")
            }
            #expect(seen.withLock { $0 } == [1])
            await #expect(throws: Oops.self) {
                try await pool.withTransaction { conn in
                    try await conn.execute("INSERT INTO t VALUES (2)")
                    conn.afterCommit { seen.withLock { $0.append(2) } }
                    throw Oops()
                }
            }
            // The next transaction on the same connection does not inherit the rolled-back action.
            try await pool.withTransaction { _ in }
            try await pool.withConnection { conn in conn.afterCommit { seen.withLock { $0.append(3) } } }
            #expect(seen.withLock { $0 } == [1, 3])
        }
    }

    @Test(
        "BEGIN travels with the first statement, whatever it is: its isolation holds, a COPY or a script first is inside the transaction, an empty one sends nothing"
    )
    func deferredBegin() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { try await $0.execute("CREATE TABLE t (v int)") }
            let isolation = try await pool.withTransaction(isolation: .repeatableRead) { conn in
                try await conn.query("SELECT current_setting('transaction_isolation')").first!.decode(String.self, at: 0)
            }
            #expect(isolation == "repeatable read")
            await #expect(throws: Oops.self) {
                try await pool.withTransaction { conn in
                    _ = try await conn.copy(into: "t", columns: ["v"], rows: [[1], [2]])
                    throw Oops()
                }
            }
            await #expect(throws: Oops.self) {
                try await pool.withTransaction { conn in
                    try await conn.executeScript("INSERT INTO t VALUES (3); INSERT INTO t VALUES (4)")
                    throw Oops()
                }
            }
            // A first statement refused before it is sent leaves the BEGIN to the next one.
            await #expect(throws: Oops.self) {
                try await pool.withTransaction { conn in
                    let refused = (try? await conn.execute("INSERT INTO t VALUES (length(\("a\u{0}b")))")) == nil
                    #expect(refused, "a NUL in a value is refused")
                    try await conn.execute("INSERT INTO t VALUES (5)")
                    throw Oops()
                }
            }
            try await pool.withTransaction { _ in }
            let count = try await pool.withConnection { conn in try await conn.query("SELECT count(*) FROM t").first!.decode(Int.self, at: 0) }
            #expect(count == 0, "the COPY, the script and the insert after a refused value rolled back with their transactions")
        }
    }

    @Test("a transaction left open in withConnection is rolled back before the connection is reused")
    func abandonedTransaction() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE t (v int)")
                try await conn.execute("BEGIN")
                try await conn.execute("INSERT INTO t VALUES (1)")
            }
            let count = try await pool.withConnection { conn in
                try await conn.query("SELECT count(*) FROM t").first!.decode(Int.self, at: 0)
            }
            #expect(count == 0)
        }
    }

    @Test("conflicting SERIALIZABLE transactions both succeed thanks to retry")
    func serializationFailureIsRetried() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE doctors (name text PRIMARY KEY, on_call bool NOT NULL)")
                try await conn.execute("INSERT INTO doctors VALUES ('alice', true), ('bob', true)")
            }
            let barrier = Barrier(parties: 2)
            let runs = Counter()
            // Classic write skew: each may go off call only if someone else stays on call.
            let wentOff = try await concurrently(2) { i in
                let me = i == 0 ? "alice" : "bob"
                let firstAttempt = Mutex(true)
                return try await pool.withTransaction(isolation: .serializable) { conn in
                    runs.increment()
                    let onCall = try await conn.query("SELECT count(*) FROM doctors WHERE on_call").first!.decode(Int.self, at: 0)
                    if firstAttempt.withLock({ first in
                        defer { first = false }
                        return first
                    }) {
                        await barrier.arriveAndWait()
                    }
                    guard onCall >= 2 else { return false }
                    try await conn.execute("UPDATE doctors SET on_call = false WHERE name = \(me)")
                    return true
                }
            }
            #expect(wentOff.filter { $0 }.count == 1)
            #expect(runs.current > 2)
            let stillOnCall = try await pool.withConnection { conn in
                try await conn.query("SELECT count(*) FROM doctors WHERE on_call").first!.decode(Int.self, at: 0)
            }
            #expect(stillOnCall == 1)
        }
    }

    @Test("a deadlock (40P01) is retried")
    func deadlockIsRetried() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)")
                try await conn.execute("INSERT INTO accounts VALUES (1, 100), (2, 100)")
            }
            let barrier = Barrier(parties: 2)
            let runs = Counter()
            _ = try await concurrently(2) { i in
                let (first, second) = i == 0 ? (1, 2) : (2, 1)
                let firstAttempt = Mutex(true)
                try await pool.withTransaction { conn in
                    runs.increment()
                    try await conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = \(first)")
                    if firstAttempt.withLock({ first in
                        defer { first = false }
                        return first
                    }) {
                        await barrier.arriveAndWait()
                    }
                    try await conn.execute("UPDATE accounts SET balance = balance + 10 WHERE id = \(second)")
                }
            }
            #expect(runs.current > 2)
            let balances = try await pool.withConnection { conn in
                try await conn.query("SELECT balance FROM accounts ORDER BY id").map { try $0.decode(Int.self, at: 0) }
            }
            #expect(balances == [100, 100])
        }
    }

    @Test("non-retriable errors are not retried")
    func noRetryForOrdinaryErrors() async throws {
        try await withTestPool { pool in
            let runs = Counter()
            await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { conn in
                    runs.increment()
                    try await conn.execute("SELECT 1 / 0")
                }
            }
            #expect(runs.current == 1)
        }
    }
}
