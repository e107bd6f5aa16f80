import Domain
import FoundationEssentials
import Messaging
import Postgres
import ServiceRuntime

/// The repository over the service's own database. Every change and the
/// events announcing it commit in one transaction through the outbox.
struct OrderingStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    /// "Now" for what is still ahead (a cancellation's notice), on the programme's day.
    let clock: ProgrammeClock
    /// Used when an order's edition has not been published to ordering yet.
    static let defaultDailyLimitHours = 12

    init(pool: PostgresPool, outbox: Outbox, clock: ProgrammeClock = .real) {
        self.pool = pool
        self.outbox = outbox
        self.clock = clock
    }
}

// MARK: - Reading rows

extension OrderRecord {
    /// A row of `order_view`, selected with `SELECT * FROM order_view`.
    init(row: PostgresRow) throws {
        let start = Date(timeIntervalSince1970: TimeInterval(try row.decode(Int.self, at: 4)))
        let end = Date(timeIntervalSince1970: TimeInterval(try row.decode(Int.self, at: 5)))
        let date = CalendarDate(start)
        var endTime = ProgrammeCalendar.timeOfDay(end)
        if endTime == .midnight, CalendarDate(end) == date.adding(days: 1) { endTime = .endOfDay }
        self.init(
            orderID: OrderID(try row.decode(String.self, at: 0)),
            participantID: ParticipantID(try row.decode(String.self, at: 1)),
            editionID: EditionID(try row.decode(String.self, at: 2)),
            grantID: GrantID(try row.decode(String.self, at: 3)),
            date: date,
            start: ProgrammeCalendar.timeOfDay(start),
            end: endTime,
            startsAt: start,
            endsAt: end,
            minutes: try row.decode(Int.self, at: 6),
            activity: try row.decode(ActivityCategory.self, at: 7),
            place: try row.decode(String.self, at: 8),
            requiredSkills: try Skill.list(stored: row.decode(String.self, at: 9)),
            status: try row.decode(OrderStatus.self, at: 10),
            providerID: try row.decode(String?.self, at: 11).map { ProviderID($0) },
            assistantID: try row.decode(String?.self, at: 12).map { AssistantID($0) },
            cancelledBy: try row.decode(OrderCancelled.CancelledBy?.self, at: 13),
            deliveredMinutes: try row.decode(Int.self, at: 14),
            rated: try row.decode(Bool.self, at: 15),
            cancellableUntil: Date(timeIntervalSince1970: TimeInterval(try row.decode(Int.self, at: 17))),
            preferredAssistantID: try row.decode(String?.self, at: 18).map { AssistantID($0) }
        )
    }
}

extension Skill {
    /// Skills stored as text[] and read with array_to_string(…, ',').
    static func list(stored: String) throws -> [Skill] {
        try stored.split(separator: ",").map { try Skill(stored: String($0)) }
    }
}

extension OrderStatus: StoredValue {}
