import Domain
import FoundationEssentials
import Messaging
import Postgres

/// Puts an entry received over HTTP on the submissions topic through the
/// outbox, byte for byte with its signature, so the consumer answers it
/// exactly as it answers a record an NGO published itself.
struct SubmissionStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    let keyStore: KeyStore

    func keys(_ ids: [String]) async throws -> [String: SigningKey] {
        try await keyStore.keys(ids)
    }

    /// Queues the record; with `claim`, only if its version is not claimed yet (`channel_versions`),
    /// returning whether it was queued.
    @discardableResult
    func enqueue(record: [UInt8], signature: String, entry: TimesheetEntrySubmitted, claim: Bool = false) async throws -> Bool {
        let event = OutgoingEvent(
            id: randomUUIDString(),
            topic: outbox.topicPrefix + Topic.timesheetSubmissions.name,
            key: entry.partitionKey,
            type: TimesheetEntrySubmitted.eventType.description,
            payload: record,
            headers: [Signature.headerName: signature]
        )
        return try await pool.withTransaction { connection in
            if claim {
                let claimed = try await connection.query(
                    """
                    INSERT INTO channel_versions (provider_id, entry_id, sequence)
                    VALUES (\(entry.providerID.rawValue), \(entry.entryID), \(entry.sequence)) ON CONFLICT DO NOTHING RETURNING 1
                    """)
                guard claimed.first != nil else { return false }
            }
            try await outbox.append([event], on: connection)
            return true
        }
    }
}
