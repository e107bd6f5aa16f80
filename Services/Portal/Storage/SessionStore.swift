import Crypto
import Foundation
import Postgres

/// Server-side sessions in PostgreSQL, so any replica serves any request and
/// signing out ends a session everywhere at once. The browser holds a random
/// 256-bit token; the table holds its SHA-256, so a copy of the table opens
/// no session.
struct SessionStore: Sendable {
    let pool: PostgresPool
    /// Without a request for this long, a session ends (30 minutes by default).
    let idle: Duration
    /// However active, a session ends this long after sign-in (12 hours by default).
    let absolute: Duration

    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// Starts a session for `accountID`; any earlier session of this browser
    /// (`replacing`) ends, so a token known before sign-in is worth nothing after.
    func start(accountID: String, replacing old: String?) async throws -> String {
        let token = Secrets.token()
        try await pool.withTransaction { connection in
            if let old { try await connection.execute("DELETE FROM sessions WHERE token_hash = \(Self.hash(old))") }
            try await connection.execute("INSERT INTO sessions (token_hash, account_id) VALUES (\(Self.hash(token)), \(accountID))")
        }
        return token
    }

    /// The account of a live session, marking it seen, in one statement (every
    /// signed-in request runs it); nil when the session is unknown, idle too long
    /// or too old (and then it is deleted).
    func account(of token: String) async throws -> Account? {
        try await pool.withConnection { connection in
            let idle = Int(self.idle.components.seconds)
            let absolute = Int(self.absolute.components.seconds)
            let rows = try await connection.query(
                """
                WITH live AS (
                    UPDATE sessions SET last_seen_at = now()
                    WHERE token_hash = \(Self.hash(token))
                      AND last_seen_at > now() - make_interval(secs => \(idle))
                      AND created_at > now() - make_interval(secs => \(absolute))
                    RETURNING account_id
                ), dead AS (
                    DELETE FROM sessions WHERE token_hash = \(Self.hash(token)) AND NOT EXISTS (SELECT 1 FROM live)
                )
                SELECT \(unsafeRaw: AccountStore.columns) FROM accounts WHERE id = (SELECT account_id FROM live)
                """)
            return try rows.first.map(AccountStore.account)
        }
    }

    func end(_ token: String) async throws {
        try await pool.withConnection { connection in
            try await connection.execute("DELETE FROM sessions WHERE token_hash = \(Self.hash(token))")
        }
    }

    /// Deletes what has expired: sessions, and forms kept for a sign-in that never came.
    func sweep() async throws {
        try await pool.withConnection { connection in
            try await connection.execute(
                """
                DELETE FROM sessions WHERE last_seen_at < now() - make_interval(secs => \(Int(idle.components.seconds)))
                    OR created_at < now() - make_interval(secs => \(Int(absolute.components.seconds)))
                """)
            try await connection.execute("DELETE FROM pending_forms WHERE expires_at < now()")
        }
    }

    // MARK: Forms kept across a sign-in

    /// Keeps the fields of a form posted after the session ended, for an hour.
    func keep(path: String, fields: [String: String]) async throws -> String {
        let id = Secrets.token()
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        try await pool.withConnection { connection in
            try await connection.execute(
                "INSERT INTO pending_forms (id, path, fields, expires_at) VALUES (\(id), \(path), \(json)::jsonb, now() + interval '1 hour')")
        }
        return id
    }

    /// The kept form, once: reading it deletes it.
    func takeKept(id: String) async throws -> (path: String, fields: [String: String])? {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                "DELETE FROM pending_forms WHERE id = \(id) AND expires_at > now() RETURNING path, fields::text")
            guard let row = rows.first else { return nil }
            let fields = try JSONDecoder().decode([String: String].self, from: Data(try row.decode(String.self, at: 1).utf8))
            return (try row.decode(String.self, at: 0), fields)
        }
    }
}
