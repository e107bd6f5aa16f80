import Foundation
import Postgres
import Testing

@Suite("Parameters and values")
struct ValueTests {
    @Test("interpolations become bind parameters, unsafeRaw splices text")
    func interpolation() {
        let id = 7
        let name = "x'; DROP TABLE t; --"
        let query: PostgresQuery = "SELECT * FROM \(unsafeRaw: "items") WHERE id = \(id) AND name = \(name)"
        #expect(query.sql == "SELECT * FROM items WHERE id = $1 AND name = $2")
        #expect(query.binds == [PostgresBind(value: "7", typeName: "int8"), PostgresBind(value: name, typeName: nil)])
        #expect("\(query)" == query.sql)  // description never shows values
    }

    @Test("a fragment written once keeps its binds, numbered after the ones before it")
    func fragment() async throws {
        func recent(after month: Int) -> PostgresQuery {
            "recent AS (SELECT x FROM generate_series(1, 12) x WHERE x > \(month) AND x <> \(month + 2))"
        }
        let query: PostgresQuery = "WITH \(fragment: recent(after: 4)) SELECT \(100) + count(*) FROM recent"
        #expect(query.sql == "WITH recent AS (SELECT x FROM generate_series(1, 12) x WHERE x > $1 AND x <> $2) SELECT $3 + count(*) FROM recent")
        let later: PostgresQuery = "SELECT \(1), \(fragment: recent(after: 4)), \(2)"
        #expect(later.sql == "SELECT $1, recent AS (SELECT x FROM generate_series(1, 12) x WHERE x > $2 AND x <> $3), $4")
        #expect(later.binds.map(\.value) == ["1", "4", "6", "2"])
        // A dollar sign without a number, and numbers of two digits, past non-ASCII text.
        let eleven: PostgresQuery = "SELECT \(0), \(fragment: "'$a ł' || \(1)\(2)\(3)\(4)\(5)\(6)\(7)\(8)\(9)\(10)\(11) $")"
        #expect(eleven.sql == "SELECT $1, '$a ł' || $2$3$4$5$6$7$8$9$10$11$12 $")
        try await withTestPool { pool in
            let total = try await pool.withConnection { try await $0.query(query).first?.decode(Int64.self, at: 0) }
            #expect(total == 107)  // 5…12 without 6
        }
    }

    @Test("every scalar type round-trips, including NULLs")
    func scalarRoundTrip() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute(
                    """
                    CREATE TABLE v (
                        s text, i bigint, i16 smallint, i32 integer, i64 bigint, b boolean, d double precision,
                        u uuid, t timestamptz, bytes bytea, data bytea, ns text, ni integer)
                    """)
                let uuid = UUID()
                let date = Date(timeIntervalSince1970: 1_717_171_717.123456)
                let text = "Zażółć gęślą jaźń — 'quotes' \"double\" \\back\\slash\nnew line\ttab 🦀"
                let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xff]
                let noString: String? = nil
                let noInt: Int32? = nil
                let inserted = try await conn.execute(
                    """
                    INSERT INTO v VALUES (\(text), \(Int.max), \(Int16.min), \(Int32.max), \(Int64.min), \(true), \(-1.5e-300),
                        \(uuid), \(date), \(bytes), \(Data(bytes)), \(noString), \(noInt))
                    """)
                #expect(inserted == 1)

                let rows = try await conn.query("SELECT * FROM v")
                #expect(rows.count == 1)
                #expect(rows.columns == ["s", "i", "i16", "i32", "i64", "b", "d", "u", "t", "bytes", "data", "ns", "ni"])
                let row = try #require(rows.first)
                #expect(try row.decode(String.self, column: "s") == text)
                #expect(try row.decode(Int.self, column: "i") == Int.max)
                #expect(try row.decode(Int16.self, column: "i16") == Int16.min)
                #expect(try row.decode(Int32.self, column: "i32") == Int32.max)
                #expect(try row.decode(Int64.self, column: "i64") == Int64.min)
                #expect(try row.decode(Bool.self, column: "b") == true)
                #expect(try row.decode(Double.self, column: "d") == -1.5e-300)
                #expect(try row.decode(UUID.self, column: "u") == uuid)
                let back = try row.decode(Date.self, column: "t")
                #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
                #expect(try row.decode([UInt8].self, column: "bytes") == bytes)
                #expect(try row.decode(Data.self, column: "data") == Data(bytes))
                #expect(try row.decode(String?.self, column: "ns") == nil)
                #expect(try row.decode(Int32?.self, column: "ni") == nil)
                #expect(try row.decode(String?.self, column: "s") == text)
                #expect(throws: PostgresError.self) { try row.decode(String.self, column: "ns") }  // NULL into non-optional
                #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "s") }
                #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }

                let picked = try #require(try await conn.query("SELECT s, i, b, ns FROM v").first)
                let (s, i, b, ns) = try picked.decode((String, Int, Bool, String?).self)
                #expect(ns == nil)
                #expect(s == text && i == Int.max && b)
            }
        }
    }

    @Test("doubles: infinities and NaN; dates far from now")
    func specialValues() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                let row = try #require(
                    try await conn.query(
                        "SELECT \(Double.infinity), \(-Double.infinity), \(Double.nan), \(Date(timeIntervalSince1970: -86_400 * 365 * 100 + 0.5)), \(Date(timeIntervalSince1970: 0))"
                    ).first)
                #expect(try row.decode(Double.self, at: 0) == .infinity)
                #expect(try row.decode(Double.self, at: 1) == -.infinity)
                #expect(try row.decode(Double.self, at: 2).isNaN)
                #expect(try row.decode(Date.self, at: 3) == Date(timeIntervalSince1970: -86_400 * 365 * 100 + 0.5))
                #expect(try row.decode(Date.self, at: 4) == Date(timeIntervalSince1970: 0))
                // The server's own formatting, in a non-UTC zone, parses to the same instant.
                try await conn.execute("SET TimeZone = 'Europe/Warsaw'")
                let local = try #require(try await conn.query("SELECT '2024-07-01 12:34:56.5+02'::timestamptz, '2024-07-01'::date").first)
                #expect(local.text(at: 0) == "2024-07-01 12:34:56.5+02")
                #expect(try local.decode(Date.self, at: 0) == Date(timeIntervalSince1970: 1_719_830_096.5))
                #expect(try local.decode(Date.self, at: 1) == Date(timeIntervalSince1970: 1_719_792_000))
            }
        }
    }

    @Test("a NUL in a text parameter is refused, never stored cut short")
    func nulIsRefused() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE ids (id text)")
                await #expect(throws: PostgresError.self) { try await conn.execute("INSERT INTO ids VALUES (\("E-1\u{0}tail"))") }
                let rows = try await conn.query("SELECT count(*) FROM ids")
                #expect(try rows.first?.decode(Int.self, at: 0) == 0)
            }
        }
    }

    @Test("an SQL-injection-looking string is stored verbatim")
    func injectionIsData() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE users (name text)")
                let evil = "Robert'); DROP TABLE users; -- $1 \\' \" ;"
                try await conn.execute("INSERT INTO users VALUES (\(evil))")
                let rows = try await conn.query("SELECT name FROM users WHERE name = \(evil)")
                #expect(rows.count == 1)
                #expect(try rows.first?.decode(String.self, at: 0) == evil)
            }
        }
    }

    @Test("arrays with awkward elements go through unnest")
    func arrays() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { conn in
                try await conn.execute("CREATE TABLE entries (id uuid, minutes int, note text)")
                let ids = (0..<6).map { _ in UUID() }
                let minutes = [0, -1, 2_147_483_647, 15, 30, 45]
                let notes: [String?] = ["a,b", "say \"hi\"", "NULL", nil, "{braces} \\ back", "  spaced  "]
                let inserted = try await conn.execute(
                    """
                    INSERT INTO entries SELECT * FROM unnest(\(ids)::uuid[], \(minutes)::int[], \(notes)::text[])
                    """)
                #expect(inserted == 6)
                let rows = try await conn.query("SELECT id, minutes, note FROM entries")
                var seen: [UUID: (Int, String?)] = [:]
                for row in rows { seen[try row.decode(UUID.self, at: 0)] = (try row.decode(Int.self, at: 1), try row.decode(String?.self, at: 2)) }
                for (i, id) in ids.enumerated() {
                    #expect(seen[id]?.0 == minutes[i])
                    #expect(seen[id]?.1 == notes[i])
                }
                // Arrays decode too, NULL elements included.
                let back = try #require(try await conn.query("SELECT \(notes)::text[], \(ids), ARRAY[]::int[]").first)
                #expect(try back.decode([String?].self, at: 0) == notes)
                #expect(try back.decode([UUID].self, at: 1) == ids)
                #expect(try back.decode([Int].self, at: 2) == [])
                // Empty arrays are empty arrays, not empty byte strings.
                let empty = try await conn.execute(
                    """
                    INSERT INTO entries SELECT * FROM unnest(\([UUID]())::uuid[], \([Int]())::int[], \([String]())::text[])
                    """)
                #expect(empty == 0)
            }
        }
    }

    @Test("configuration from URL")
    func configurationURL() throws {
        let config = try PostgresConfiguration(url: "postgres://app%40x:p%3Ass@db.internal:6543/timesheet?sslmode=require&application_name=ts")
        #expect(config.user == "app@x")
        #expect(config.password == "p:ss")
        #expect(config.host == "db.internal")
        #expect(config.port == 6543)
        #expect(config.database == "timesheet")
        #expect(config.sslMode == "require")
        #expect(config.applicationName == "ts")
        #expect(!config.description.contains("p:ss"))
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "mysql://a@b/c") }
    }
}

/// Byte buffers and arrays travel in PostgreSQL's binary format; what comes back must be what went in.
@Suite struct BinaryParameterTests {
    @Test func byteaArraysRoundTripInBinary() async throws {
        let buffers: [[UInt8]] = [[], Array(0...255), [0, 0, 0], Array("\"\\{},NULL".utf8)]
        let query: PostgresQuery = "SELECT b FROM unnest(\(buffers)::bytea[]) WITH ORDINALITY AS t(b, n) ORDER BY n"
        #expect(query.binds[0].binary != nil && query.binds[0].value == nil)
        let empty: [[UInt8]] = []
        try await withTestPool { pool in
            try await pool.withConnection { connection in
                let rows = try await connection.query(query)
                let decoded = try rows.map { try $0.decode([UInt8].self, at: 0) }
                #expect(decoded == buffers)
                #expect(try await connection.query("SELECT cardinality(\(empty)::bytea[])").first!.decode(Int.self, at: 0) == 0)
                let single: [UInt8] = [0, 1, 2, 0xff]
                #expect(try await connection.query("SELECT \(single)::bytea").first!.decode([UInt8].self, at: 0) == single)
                #expect(try await connection.query("SELECT \(Optional<[UInt8]>.none)::bytea IS NULL").first!.decode(Bool.self, at: 0))
            }
        }
    }

    @Test("arrays of strings, integers, booleans and dates travel in binary and come back as sent")
    func arraysRoundTripInBinary() async throws {
        let texts: [String?] = ["", "zażółć gęślą jaźń 😀", "a,b \"q\" {x} \\", "NULL", nil, String(repeating: "x", count: 10_000)]
        let numbers: [Int?] = [Int.min, -1, 0, nil, Int.max]
        let flags = [true, false, true]
        // Microseconds, before and after 2000-01-01 (the binary form's epoch), and NULL.
        let instants: [Date?] = [
            Date(timeIntervalSince1970: 946_684_799.999_999), Date(timeIntervalSince1970: 0), nil,
            Date(timeIntervalSince1970: 1_700_000_000.123_456), Date(timeIntervalSince1970: -2_208_988_800),
        ]
        let query: PostgresQuery = "SELECT \(texts)::text[], \(numbers)::bigint[], \(flags)::boolean[], \(instants)::timestamptz[]"
        #expect(query.binds.allSatisfy { bind in bind.binary != nil && bind.value == nil })
        try await withTestPool { pool in
            try await pool.withConnection { connection in
                let row = try #require(try await connection.query(query).first)
                #expect(try row.decode([String?].self, at: 0) == texts)
                #expect(try row.decode([Int?].self, at: 1) == numbers)
                #expect(try row.decode([Bool].self, at: 2) == flags)
                #expect(try row.decode([Date?].self, at: 3) == instants)
                // A text array still casts to the other types a column may have.
                let days = ["2024-02-29", "1999-12-31"]
                let documents: [String?] = [#"{"a": 1}"#, nil]
                let ids = [UUID(), UUID()]
                let cast = try #require(
                    try await connection.query(
                        "SELECT \(days)::date[]::text[], \(documents)::jsonb[]::text[], \(ids.map(\.uuidString))::uuid[]"
                    ).first)
                #expect(try cast.decode([String].self, at: 0) == days)
                #expect(try cast.decode([String?].self, at: 1) == [#"{"a": 1}"#, nil])
                #expect(try cast.decode([UUID].self, at: 2) == ids)
            }
        }
    }

    @Test("a NUL inside a text array is refused, as in a single text parameter")
    func nulInAnArrayIsRefused() async throws {
        try await withTestPool { pool in
            try await pool.withConnection { connection in
                await #expect(throws: PostgresError.self) { try await connection.query("SELECT \(["ok", "E-1\u{0}tail"])::text[]") }
                let alive = try await connection.query("SELECT 1").first?.decode(Int.self, at: 0)
                #expect(alive == 1, "the connection stays usable")
            }
        }
    }
}
