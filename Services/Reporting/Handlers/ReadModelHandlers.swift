import Domain
import FoundationEssentials
import Messaging
import Postgres

/// Every event reporting reads, and what it does with it. The consumer loop runs
/// each batch in one transaction with the inbox, so a redelivered event is skipped
/// before it gets here.
enum ReadModelHandlers {
    static func make(writer: ReadModelWriter) -> EventHandlers {
        var handlers = EventHandlers()

        handlers.on(EditionPublished.self) { event, connection in
            try await writer.editionPublished(event.data.rules, at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(EditionPublishedV2.self) { event, connection in
            try await writer.editionPublished(event.data.rules, at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(ProviderRegistered.self) { event, connection in
            try await writer.providerRegistered(event.data, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(AssistantRegistered.self) { event, connection in
            try await writer.assistantRegistered(event.data, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }

        handlers.onBatch(SupportGranted.self) { events, connection in
            try await writer.supportGranted(events.map { ($0.data, $0.header.time) }, on: connection)
            try await noteApplied(events, writer, connection)
        }
        // A statutory grant counts in the report by its total, as version 1 does.
        handlers.onBatch(SupportGrantedV2.self) { events, connection in
            try await writer.supportGranted(events.map { ($0.data.totals, $0.header.time) }, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.on(SupportRevoked.self) { event, connection in
            try await writer.supportRevoked(event.data, at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }

        handlers.onBatch(OrderPlaced.self) { events, connection in
            try await writer.ordersPlaced(events.map(\.data), on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.onBatch(OrderAssigned.self) { events, connection in
            try await writer.ordersMarked(events.map { ($0.data.orderID, $0.data.editionID) }, .assigned, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.onBatch(OrderCancelled.self) { events, connection in
            try await writer.ordersMarked(events.map { ($0.data.orderID, $0.data.editionID) }, .cancelled, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.on(ServiceRated.self) { event, connection in
            try await writer.serviceRated(event.data, at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }

        handlers.onBatch(HoursAccounted.self) { events, connection in
            try await writer.record(events.flatMap { TimesheetChange.accounted($0.data, key: key($0), time: $0.header.time) }, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.onBatch(TimesheetEntryCorrected.self) { events, connection in
            try await writer.record(events.flatMap { TimesheetChange.corrected($0.data, key: key($0), time: $0.header.time) }, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.onBatch(TimesheetEntryVoided.self) { events, connection in
            try await writer.record(events.flatMap { TimesheetChange.voided($0.data, key: key($0), time: $0.header.time) }, on: connection)
            try await noteApplied(events, writer, connection)
        }
        handlers.on(MonthConfirmed.self) { event, connection in
            try await writer.cardChanged(CardChange(event.data), key: key(event), at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(VisitContested.self) { event, connection in
            try await writer.cardChanged(CardChange(event.data), key: key(event), at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(ContestSettled.self) { event, connection in
            try await writer.cardChanged(CardChange(event.data), key: key(event), at: event.header.time, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        handlers.on(MonthClosed.self) { event, connection in
            try await writer.monthClosed(event.data, on: connection)
            try await writer.noteApplied(upTo: event.header.time, on: connection)
        }
        return handlers
    }

    /// The same key the inbox uses: an event is identified by its source and id.
    static func key<Payload>(_ event: IncomingEvent<Payload>) -> String {
        event.header.source + "|" + event.header.id
    }

    private static func noteApplied<Payload>(
        _ events: [IncomingEvent<Payload>], _ writer: ReadModelWriter, _ connection: PostgresConnection
    ) async throws {
        guard let newest = events.map(\.header.time).max() else { return }
        try await writer.noteApplied(upTo: newest, on: connection)
    }

    /// The topics reporting reads (and creates with their dead-letter topics when allowed).
    static let topics: [Topic] = [.editions, .decisions, .providers, .orders, .timesheetResults, .timesheetPeriods]
}
