import Domain
import FoundationEssentials
import Postgres

/// Writes outgoing events in the caller's transaction, so a state change and
/// the events announcing it commit or vanish together. The relay publishes them.
public struct Outbox: Sendable {
    /// The CloudEvents `source` of everything this service publishes ("/asysta/intake").
    public let source: String
    /// Put before every topic name, so several suites (or test runs) can share a cluster.
    public let topicPrefix: String
    private let handoff: OutboxHandoff?

    public init(source: String, topicPrefix: String = "", handoff: OutboxHandoff? = nil) {
        self.source = source
        self.topicPrefix = topicPrefix
        self.handoff = handoff
    }

    /// Appends a new event; when `cause` is given it inherits its correlation.
    public func append<Payload: DomainEvent>(_ event: Payload, causedBy cause: EventHeader? = nil, on connection: PostgresConnection) async throws {
        try await append([envelope(event, causedBy: cause)], on: connection)
    }

    public func envelope<Payload: DomainEvent>(_ event: Payload, causedBy cause: EventHeader? = nil) throws -> OutgoingEvent {
        let envelope = EventEnvelope(
            source: source,
            correlationID: cause.map { $0.correlationID ?? $0.id },
            causationID: cause?.id,
            data: event
        )
        var outgoing = try OutgoingEvent(envelope)
        outgoing.topic = topicPrefix + outgoing.topic
        return outgoing
    }

    /// Appends many events with one statement: the batch path of busy consumers.
    public func append(_ events: [OutgoingEvent], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        try appended(events, answer: try await connection.query(try appending(events)), on: connection)
    }

    /// The statement that appends `events`, for a caller that sends it together with
    /// others (`PostgresConnection.pipeline`); its answer then goes to `appended`.
    public func appending(_ events: [OutgoingEvent]) throws -> PostgresQuery {
        let headers: [String?] = try events.map { event in
            event.headers.isEmpty ? nil : String(decoding: try JSONEncoder().encode(event.headers), as: UTF8.self)
        }
        return """
            INSERT INTO outbox (event_id, topic, partition_key, event_type, payload, headers)
            SELECT * FROM unnest(\(events.map(\.id))::text[], \(events.map(\.topic))::text[], \(events.map(\.key))::text[],
                                 \(events.map(\.type))::text[], \(events.map(\.payload))::bytea[], \(headers)::jsonb[])
            RETURNING event_id, position
            """
    }

    /// Hands the appended events to the relay once the transaction commits: `answer` is
    /// what the `appending` statement returned.
    public func appended(_ events: [OutgoingEvent], answer rows: PostgresRows, on connection: PostgresConnection) throws {
        guard let handoff else { return }
        // Matched by id, which callers make unique; an id written twice is left for the relay to read.
        let byID = Dictionary(events.map { ($0.id, Optional($0)) }, uniquingKeysWith: { _, _ in nil })
        var written: [(position: Int64, event: OutgoingEvent)] = []
        for row in rows {
            if let event = byID[try row.decode(String.self, at: 0)] ?? nil { written.append((try row.decode(Int64.self, at: 1), event)) }
        }
        // Woken after the commit: a relay woken before it finds nothing and sleeps out its poll.
        let sorted = written.sorted { $0.position < $1.position }
        connection.afterCommit { handoff.hand(sorted) }
    }
}
