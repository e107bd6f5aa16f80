import Postgres
import Testing

@Suite("Pipelines")
struct PipelineTests {
    @Test("statements sent together answer in order, with and without parameters, and see each other's writes")
    func answersInOrder() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { try await $0.execute("CREATE TABLE t (id int PRIMARY KEY, name text)") }
            let answers = try await pool.withTransaction { connection in
                try await connection.pipeline([
                    "INSERT INTO t VALUES (1, 'a'), (2, 'b')",
                    "SELECT name FROM t WHERE id = ANY(\([2, 1])::int[]) ORDER BY id DESC",
                    "SELECT count(*) FROM t WHERE name = \("nobody")",
                    "SELECT id FROM t ORDER BY id FOR UPDATE",
                ])
            }
            #expect(answers.count == 4)
            #expect(answers[0].isEmpty)
            #expect(try answers[1].map { try $0.decode(String.self, at: 0) } == ["b", "a"])
            #expect(try answers[2].first?.decode(Int.self, at: 0) == 0)
            #expect(try answers[3].map { try $0.decode(Int.self, at: 0) } == [1, 2])
            // The same statements again run prepared on this connection.
            let again = try await pool.withConnection { try await $0.pipeline(["SELECT name FROM t WHERE id = ANY(\([1])::int[])"]) }
            #expect(try again[0].map { try $0.decode(String.self, at: 0) } == ["a"])
        }
    }

    @Test("a failing statement is thrown with its own error, the ones after it do not run, and the connection stays usable")
    func failureStopsThePipeline() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { try await $0.execute("CREATE TABLE t (id int PRIMARY KEY)") }
            await #expect {
                try await pool.withTransaction { connection in
                    _ = try await connection.pipeline([
                        "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (\(1))", "INSERT INTO t VALUES (3)",
                    ])
                }
            } throws: { error in
                (error as? PostgresError)?.sqlState == "23505"
            }
            let (count, rows) = try await pool.withConnection { connection in
                let answers = try await connection.pipeline(["SELECT count(*) FROM t", "SELECT 7"])
                return (try answers[0].first!.decode(Int.self, at: 0), try answers[1].first!.decode(Int.self, at: 0))
            }
            #expect(count == 0, "the transaction rolled back, the third insert never ran")
            #expect(rows == 7)
        }
    }
}
