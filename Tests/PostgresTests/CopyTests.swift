import Foundation
import Postgres
import Testing

@Suite("COPY")
struct CopyTests {
    static func note(_ i: Int) -> String? {
        switch i % 7 {
        case 0: nil
        case 1: "tab\there"
        case 2: "line\nbreak\r\nwindows"
        case 3: "back\\slash \\N not null"
        case 4: "Łódź \"quoted\" 'single'"
        case 5: ""
        default: "plain \(i)"
        }
    }

    @Test("100 000 rows land with exact values")
    func bulkLoad() async throws {
        try await withTestPool { pool in
            let count = 100_000
            let ids = (0..<count).map { _ in UUID() }
            let copied = try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE entries (n int PRIMARY KEY, id uuid NOT NULL, note text, minutes int, at timestamptz)")
                let rows: [[any PostgresEncodable]] = (0..<count).map { (i: Int) -> [any PostgresEncodable] in
                    let minutes: Int32? = i % 3 == 0 ? nil : Int32(i % 480)
                    let at = Date(timeIntervalSince1970: 1_700_000_000 + Double(i))
                    return [i, ids[i], Self.note(i), minutes, at]
                }
                return try await conn.copy(into: "entries", columns: ["n", "id", "note", "minutes", "at"], rows: rows)
            }
            #expect(copied == count)

            let rows = try await pool.withConnection { try await $0.query("SELECT n, id, note, minutes, at FROM entries ORDER BY n") }
            #expect(rows.count == count)
            var mismatches = 0
            for row in rows {
                let (n, id, note, minutes, at) = try row.decode((Int, UUID, String?, Int32?, Date).self)
                if id != ids[n] || note != Self.note(n) || minutes != (n % 3 == 0 ? nil : Int32(n % 480))
                    || at != Date(timeIntervalSince1970: 1_700_000_000 + Double(n))
                {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0)
        }
    }

    @Test("a COPY that violates a constraint fails and loads nothing; the connection stays usable")
    func failingCopy() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE t (n int PRIMARY KEY)")
                let error = try await #require(throws: PostgresError.self) {
                    try await conn.copy(into: "t", columns: ["n"], rows: [[1], [2], [1]])
                }
                #expect(error.isUniqueViolation)
                #expect(try await conn.query("SELECT * FROM t").count == 0)
            }
        }
    }
}
