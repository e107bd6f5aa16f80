import Crypto
import Domain
import FoundationEssentials
import Postgres

/// The providers' signing keys in PostgreSQL.
struct KeyStore: Sendable {
    let pool: PostgresPool
    /// How long a replaced key keeps working, so an NGO can switch without losing entries.
    let grace: Duration

    func register(providerID: ProviderID) async throws -> RegisteredKey? {
        let keyID = "k-" + randomUUIDString()
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let graceSeconds = Int(grace.components.seconds)
        return try await pool.withTransaction { connection -> RegisteredKey? in
            // Only an NGO of an edition (ordering's ProviderRegistered) gets a key.
            guard try await !connection.query("SELECT 1 FROM providers WHERE provider_id = \(providerID.rawValue)").isEmpty else { return nil }
            let rows = try await connection.query(
                """
                UPDATE signing_keys SET expires_at = now() + make_interval(secs => \(graceSeconds))
                WHERE provider_id = \(providerID.rawValue) AND expires_at IS NULL AND channel = 'ngo'
                RETURNING expires_at
                """)
            try await connection.execute(
                "INSERT INTO signing_keys (key_id, provider_id, secret) VALUES (\(keyID), \(providerID.rawValue), \(secret))")
            return RegisteredKey(
                keyID: keyID, providerID: providerID, secret: secret, previousKeysValidUntil: try rows.first?.decode(Date.self, at: 0))
        }
    }

    /// The key timesheet signs an NGO's assistants' visits with, made on first use.
    func assistantChannelKey(providerID: ProviderID) async throws -> SigningKey {
        let keyID = "assistants-" + providerID.rawValue
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return try await pool.withConnection { connection in
            try await connection.execute(
                """
                INSERT INTO signing_keys (key_id, provider_id, secret, channel) VALUES (\(keyID), \(providerID.rawValue), \(secret), 'assistants')
                ON CONFLICT DO NOTHING
                """)
            let rows = try await connection.query("SELECT secret FROM signing_keys WHERE key_id = \(keyID)")
            return SigningKey(keyID: keyID, providerID: providerID, secret: try rows[0].decode([UInt8].self, at: 0), expiresAt: nil)
        }
    }

    func keys(_ ids: [String]) async throws -> [String: SigningKey] {
        try await pool.withConnection { connection in
            try await EntryStore(policy: TimesheetPolicy()).keys(ids, on: connection)
        }
    }
}
