import Domain
import Postgres

/// A day as a bind parameter: `date`, in text form (YYYY-MM-DD). A wrapper rather
/// than a conformance of `CalendarDate`, so the domain library stays free of I/O and
/// no module declares a retroactive conformance. A day is read back as a
/// `StoredValue`: `row.decode(CalendarDate.self, at:)`.
public struct SQLDate: PostgresEncodable, Sendable {
    public var value: CalendarDate

    public init(_ value: CalendarDate) { self.value = value }

    public func encodePostgres() -> String? { value.description }
    public static var postgresTypeName: String? { "date" }
}

extension Optional where Wrapped == CalendarDate {
    public var sql: SQLDate? { map(SQLDate.init) }
}

extension CalendarDate {
    public var sql: SQLDate { SQLDate(self) }
}
