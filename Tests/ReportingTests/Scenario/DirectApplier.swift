import Domain
import Foundation
import Postgres
import Testing

@testable import Reporting

/// Applies scenario events straight to the read models, each in its own
/// transaction, the way the handlers do, with a set standing in for the inbox.
struct DirectApplier {
    let pool: PostgresPool
    let writer = ReadModelWriter()

    func apply(_ events: [ScenarioEvent]) async throws {
        var seen = Set<String>()
        for item in events where seen.insert(item.id).inserted {
            try await pool.withTransaction { connection in
                try await apply(item, on: connection)
            }
        }
    }

    func apply(_ item: ScenarioEvent, on connection: PostgresConnection) async throws {
        let key = "/test|" + item.id
        switch item.event {
        case let event as EditionPublished: try await writer.editionPublished(event.rules, at: item.time, on: connection)
        case let event as SupportGranted: try await writer.supportGranted([(event, item.time)], on: connection)
        case let event as SupportRevoked: try await writer.supportRevoked(event, at: item.time, on: connection)
        case let event as HoursAccounted: try await writer.record(TimesheetChange.accounted(event, key: key, time: item.time), on: connection)
        case let event as TimesheetEntryCorrected:
            try await writer.record(TimesheetChange.corrected(event, key: key, time: item.time), on: connection)
        case let event as TimesheetEntryVoided: try await writer.record(TimesheetChange.voided(event, key: key, time: item.time), on: connection)
        case let event as MonthClosed: try await writer.monthClosed(event, on: connection)
        case let event as MonthConfirmed: try await writer.cardChanged(CardChange(event), key: key, at: item.time, on: connection)
        case let event as VisitContested: try await writer.cardChanged(CardChange(event), key: key, at: item.time, on: connection)
        case let event as ContestSettled: try await writer.cardChanged(CardChange(event), key: key, at: item.time, on: connection)
        case let event as ServiceRated: try await writer.serviceRated(event, at: item.time, on: connection)
        case let event as OrderPlaced: try await writer.ordersPlaced([event], on: connection)
        case let event as OrderAssigned: try await writer.ordersMarked([(event.orderID, event.editionID)], .assigned, on: connection)
        case let event as OrderCancelled: try await writer.ordersMarked([(event.orderID, event.editionID)], .cancelled, on: connection)
        default: Issue.record("the scenario has an event the applier does not know")
        }
        try await writer.noteApplied(upTo: item.time, on: connection)
    }
}
