import Crypto
import Foundation
import Postgres
import ServiceRuntime

extension AccountStore {
    /// Remembers a sign-in sent to the identity provider, for ten minutes.
    func saveOIDCRequest(state: String, verifier: String, nonce: String, next: String) async throws {
        try await pool.withConnection { connection in
            try await connection.execute(
                """
                INSERT INTO oidc_requests (state, verifier, nonce, next_path, expires_at)
                VALUES (\(state), \(verifier), \(nonce), \(next), now() + interval '10 minutes')
                """)
            try await connection.execute("DELETE FROM oidc_requests WHERE expires_at < now()")
        }
    }

    /// The sign-in `state` names, once: a replayed or late answer finds nothing.
    func takeOIDCRequest(state: String) async throws -> (verifier: String, nonce: String, next: String)? {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                "DELETE FROM oidc_requests WHERE state = \(state) AND expires_at > now() RETURNING verifier, nonce, next_path")
            guard let row = rows.first else { return nil }
            return (try row.decode(String.self, at: 0), try row.decode(String.self, at: 1), try row.decode(String.self, at: 2))
        }
    }

    /// The account of a provider identity: made at its first sign-in, and given
    /// the role, bindings and name of the provider's claims at every sign-in
    /// after, so a role taken away at the provider is gone here too.
    func account(for identity: OIDCIdentity) async throws -> Account {
        let invitee = identity.invitee
        return try await pool.withTransaction { connection in
            let linked = try await connection.query(
                "SELECT account_id FROM oidc_identities WHERE issuer = \(identity.issuer) AND subject = \(identity.subject) FOR UPDATE")
            if let id = try linked.first?.decode(String.self, at: 0) {
                let rows = try await connection.query(
                    """
                    UPDATE accounts SET display_name = \(invitee.displayName), role = \(invitee.role.rawValue), provider_id = \(invitee.providerID),
                        assistant_id = \(invitee.assistantID), participant_id = \(invitee.participantID), acts_as = \(invitee.actsAs?.rawValue)
                    WHERE id = \(id) RETURNING \(unsafeRaw: Self.columns)
                    """)
                return try Self.account(rows[0])
            }
            let id = UUID().uuidString.lowercased()
            let digest = SHA256.hash(data: Data((identity.issuer + "\u{0}" + identity.subject).utf8))
            let login = "oidc." + digest.prefix(10).map { String(format: "%02x", $0) }.joined()
            let rows = try await connection.query(
                """
                INSERT INTO accounts (id, login, display_name, role, provider_id, assistant_id, participant_id, acts_as, password_hash, invited_by)
                VALUES (\(id), \(login), \(invitee.displayName), \(invitee.role.rawValue), \(invitee.providerID), \(invitee.assistantID),
                        \(invitee.participantID), \(invitee.actsAs?.rawValue), NULL, \("oidc:" + identity.issuer))
                RETURNING \(unsafeRaw: Self.columns)
                """)
            try await connection.execute(
                "INSERT INTO oidc_identities (issuer, subject, account_id) VALUES (\(identity.issuer), \(identity.subject), \(id))")
            return try Self.account(rows[0])
        }
    }
}
