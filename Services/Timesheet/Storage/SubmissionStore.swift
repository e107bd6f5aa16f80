import Domain
import Foundation
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

    func enqueue(record: [UInt8], signature: String, entry: TimesheetEntrySubmitted) async throws {
        let event = OutgoingEvent(
            id: randomUUIDString(),
            topic: outbox.topicPrefix + Topic.timesheetSubmissions.name,
            key: entry.partitionKey,
            type: TimesheetEntrySubmitted.eventType.description,
            payload: record,
            headers: [Signature.headerName: signature]
        )
        try await pool.withTransaction { connection in
            try await outbox.append([event], on: connection)
        }
    }
}
