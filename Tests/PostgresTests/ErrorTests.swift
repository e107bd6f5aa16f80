import Postgres
import Testing

@Suite("Errors")
struct ErrorTests {
    @Test("unique violation is recognisable and its description carries no values")
    func uniqueViolation() async throws {
        try await withTestPool(poolSize: 1) { pool in
            let email = "jan.kowalski@example.pl"
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
                try await conn.execute("INSERT INTO people VALUES (\(email))")
            }
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { try await $0.execute("INSERT INTO people VALUES (\(email))") }
            }
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.kind == .query)
            #expect(!error.isRetriable)
            #expect(error.constraint == "people_email_key")
            #expect(error.description == "database error 23505")
            #expect(!error.description.contains(email))
            #expect(!"\(error)".contains(email))
            #expect(error.debugDescription.contains("people_email_key"))

            // Same connection (pool of one) still works.
            let count = try await pool.withConnection { try await $0.query("SELECT count(*) FROM people").first!.decode(Int.self, at: 0) }
            #expect(count == 1)
        }
    }

    @Test("a bad value's text stays out of the description")
    func badValue() async throws {
        try await withTestPool { pool in
            let secret = "PESEL 90010112345"
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { try await $0.execute("SELECT \(secret)::int") }
            }
            #expect(error.sqlState == "22P02")
            #expect(!error.description.contains(secret))
        }
    }
}
