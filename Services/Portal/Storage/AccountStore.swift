import Foundation
import Postgres
import ServiceRuntime

/// Accounts, their one-time codes and the sign-in audit trail.
struct AccountStore: Sendable {
    let pool: PostgresPool

    static let columns = "id, login, display_name, role, provider_id, assistant_id, participant_id, acts_as"

    /// The names people gave the portal, for the ids the services know them by: an
    /// assistant's from their invitation, a participant's from their own letter (a
    /// guardian's letter names the guardian, so those participants stay unnamed).
    /// Staff by the subject the portal's tokens give them ("portal:<account>"), as an
    /// audit trail names them. The services hold no names; a page shows one only to
    /// whom the service showed the visit or the decision.
    func names(assistants: [String] = [], participants: [String] = [], staff: [String] = []) async throws -> [String: String] {
        guard !assistants.isEmpty || !participants.isEmpty || !staff.isEmpty else { return [:] }
        return try await pool.withConnection { connection in
            var names: [String: String] = [:]
            for row in try await connection.query(
                """
                SELECT assistant_id, display_name FROM accounts WHERE role = 'assistant' AND assistant_id = ANY(\(assistants)::text[])
                UNION ALL
                SELECT participant_id, display_name FROM accounts
                WHERE role = 'participant' AND acts_as = 'self' AND participant_id = ANY(\(participants)::text[])
                UNION ALL
                SELECT 'portal:' || id, display_name FROM accounts WHERE 'portal:' || id = ANY(\(staff)::text[])
                """)
            {
                names[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1)
            }
            return names
        }
    }

    /// The account and its stored password hash, by sign-in name (no hash: the
    /// account signs in only through the identity provider).
    func credentials(login: String) async throws -> (account: Account, passwordHash: String?)? {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                "SELECT \(unsafeRaw: Self.columns), password_hash FROM accounts WHERE login = \(login.lowercased())")
            guard let row = rows.first else { return nil }
            return (try Self.account(row), try row.decode(String?.self, at: 8))
        }
    }

    // MARK: One-time codes

    /// Stores a code's hash for `invitee`, valid for `validity`.
    func issueCode(hash: Data, for invitee: Invitee, issuedBy: String, validity: Duration) async throws -> Date {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                INSERT INTO activation_codes (code_hash, role, display_name, provider_id, assistant_id, participant_id, acts_as, issued_by, expires_at)
                VALUES (\(hash), \(invitee.role.rawValue), \(invitee.displayName), \(invitee.providerID), \(invitee.assistantID),
                        \(invitee.participantID), \(invitee.actsAs?.rawValue), \(issuedBy),
                        now() + make_interval(secs => \(Int(validity.components.seconds))))
                RETURNING expires_at
                """)
            return try rows[0].decode(Date.self, at: 0)
        }
    }

    /// Whether a code would be accepted now: checked before the slow password
    /// hash, so a wrong code costs the server nothing.
    func codeIsUsable(hash: Data) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT 1 FROM activation_codes WHERE code_hash = \(hash) AND used_at IS NULL AND expires_at > now()"
            ).first != nil
        }
    }

    enum Activation: Sendable, Equatable {
        case created(Account)
        /// No such code, or it expired or was used: one answer for all three.
        case codeRefused
        case loginTaken
    }

    /// Uses the code once and creates the account, in one transaction: two people
    /// racing with the same code get one account between them.
    func activate(codeHash: Data, login: String, passwordHash: String) async throws -> Activation {
        try await pool.withTransaction { connection in
            let codes = try await connection.query(
                """
                SELECT role, display_name, provider_id, assistant_id, participant_id, acts_as, issued_by FROM activation_codes
                WHERE code_hash = \(codeHash) AND used_at IS NULL AND expires_at > now() FOR UPDATE
                """)
            guard let code = codes.first else { return .codeRefused }
            let taken = try await connection.query("SELECT 1 FROM accounts WHERE login = \(login.lowercased())")
            guard taken.first == nil else { return .loginTaken }
            let id = UUID().uuidString.lowercased()
            let rows = try await connection.query(
                """
                INSERT INTO accounts (id, login, display_name, role, provider_id, assistant_id, participant_id, acts_as, password_hash, invited_by)
                VALUES (\(id), \(login.lowercased()), \(try code.decode(String.self, at: 1)), \(try code.decode(String.self, at: 0)),
                        \(try code.decode(String?.self, at: 2)), \(try code.decode(String?.self, at: 3)), \(try code.decode(String?.self, at: 4)),
                        \(try code.decode(String?.self, at: 5)), \(passwordHash), \(try code.decode(String.self, at: 6)))
                RETURNING \(unsafeRaw: Self.columns)
                """)
            try await connection.execute("UPDATE activation_codes SET used_at = now(), used_by = \(id) WHERE code_hash = \(codeHash)")
            return .created(try Self.account(rows[0]))
        }
    }

    /// An account made directly, for the demo's accounts and the first operator.
    func create(login: String, passwordHash: String, as invitee: Invitee, invitedBy: String) async throws -> Account? {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                INSERT INTO accounts (id, login, display_name, role, provider_id, assistant_id, participant_id, acts_as, password_hash, invited_by)
                VALUES (\(UUID().uuidString.lowercased()), \(login.lowercased()), \(invitee.displayName), \(invitee.role.rawValue),
                        \(invitee.providerID), \(invitee.assistantID), \(invitee.participantID), \(invitee.actsAs?.rawValue), \(passwordHash), \(invitedBy))
                ON CONFLICT (login) DO NOTHING
                RETURNING \(unsafeRaw: Self.columns)
                """)
            return try rows.first.map(Self.account)
        }
    }

    // MARK: Audit and throttling

    func audit(_ kind: String, address: String, login: String? = nil, accountID: String? = nil, outcome: String) async throws {
        try await pool.withConnection { connection in
            try await connection.execute(
                """
                INSERT INTO sign_in_attempts (kind, address, login, account_id, outcome)
                VALUES (\(kind), \(address), \(login?.lowercased()), \(accountID), \(outcome))
                """)
        }
    }

    /// Failed attempts of `kind` within `window`, from `address` or, when given, for the sign-in name `login`
    /// since its last success: what the throttles count. Returns the count and when the oldest counted one was.
    func recentFailures(
        kind: String, address: String? = nil, login: String? = nil, within window: Duration
    ) async throws -> (
        count: Int, oldest: Date?
    ) {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT count(*), min(at) FROM sign_in_attempts a
                WHERE kind = \(kind) AND outcome NOT IN ('signed-in', 'activated')
                  AND at > now() - make_interval(secs => \(Int(window.components.seconds)))
                  AND (\(address)::text IS NULL OR address = \(address))
                  AND (\(login?.lowercased())::text IS NULL OR (login = \(login?.lowercased()) AND at > COALESCE(
                        (SELECT max(at) FROM sign_in_attempts s WHERE s.login = a.login AND s.outcome = 'signed-in'), '-infinity')))
                """)
            return (try rows[0].decode(Int.self, at: 0), try rows[0].decode(Date?.self, at: 1))
        }
    }

    static func account(_ row: PostgresRow) throws -> Account {
        guard let role = Role(rawValue: try row.decode(String.self, at: 3)) else { throw AccountStoreError.unknownRole }
        return Account(
            id: try row.decode(String.self, at: 0), login: try row.decode(String.self, at: 1), displayName: try row.decode(String.self, at: 2),
            role: role, providerID: try row.decode(String?.self, at: 4), assistantID: try row.decode(String?.self, at: 5),
            participantID: try row.decode(String?.self, at: 6), actsAs: try row.decode(String?.self, at: 7).flatMap(Account.ActsAs.init))
    }
}

enum AccountStoreError: Error { case unknownRole }
