import Domain
import Messaging

/// The events ordering consumes: editions and schemes (providers), grants (either version) and revocations
/// (allowances), and timesheet's answers (delivered hours).
enum OrderingHandlers {
    static func make(ledger: EventLedger) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(EditionPublished.self) { event, connection in try await ledger.apply(event.data.rules, cause: event.header, on: connection) }
        handlers.on(EditionPublishedV2.self) { event, connection in try await ledger.apply(event.data.rules, cause: event.header, on: connection) }
        handlers.on(SupportGranted.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        handlers.on(SupportGrantedV2.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        handlers.on(SupportRevoked.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        handlers.on(HoursAccounted.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        handlers.on(TimesheetEntryCorrected.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        handlers.on(TimesheetEntryVoided.self) { event, connection in try await ledger.apply(event.data, cause: event.header, on: connection) }
        return handlers
    }
}
