import Domain
import Foundation
import Messaging
import Postgres

/// The repository over the service's own database. Every change and the
/// events announcing it commit in one transaction through the outbox.
struct OrderingStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    /// Used when an order's edition has not been published to ordering yet.
    static let defaultDailyLimitHours = 12

    init(pool: PostgresPool, outbox: Outbox) {
        self.pool = pool
        self.outbox = outbox
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
            activity: try ActivityCategory(stored: row.decode(String.self, at: 7)),
            place: try row.decode(String.self, at: 8),
            requiredSkills: try Skill.list(stored: row.decode(String.self, at: 9)),
            status: try OrderStatus(stored: row.decode(String.self, at: 10)),
            providerID: try row.decode(String?.self, at: 11).map { ProviderID($0) },
            assistantID: try row.decode(String?.self, at: 12).map { AssistantID($0) },
            cancelledBy: try row.decode(String?.self, at: 13).map(OrderCancelled.CancelledBy.init(stored:)),
            deliveredMinutes: try row.decode(Int.self, at: 14),
            rated: try row.decode(Bool.self, at: 15)
        )
    }
}

/// A stored value that no longer parses: the database was changed by hand.
struct CorruptRow: Error, CustomStringConvertible {
    var column: String
    var description: String { "a stored \(column) does not parse" }
}

extension RawRepresentable where RawValue == String {
    init(stored: String) throws {
        guard let value = Self(rawValue: stored) else { throw CorruptRow(column: "\(Self.self)") }
        self = value
    }
}

extension Skill {
    /// Skills stored as text[] and read with array_to_string(…, ',').
    static func list(stored: String) throws -> [Skill] {
        try stored.split(separator: ",").map { try Skill(stored: String($0)) }
    }
}

extension CalendarDate {
    init(stored: String) throws {
        guard let date = CalendarDate(stored) else { throw CorruptRow(column: "date") }
        self = date
    }
}

// MARK: - JSON columns

enum StoredJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
