import Domain
import Postgres

/// A day as a bind parameter or a column: `date`, in text form (YYYY-MM-DD).
/// A wrapper rather than a conformance of `CalendarDate`, so the domain library
/// stays free of I/O and no module declares a retroactive conformance.
public struct SQLDate: PostgresEncodable, PostgresDecodable, Sendable {
    public var value: CalendarDate

    public init(_ value: CalendarDate) { self.value = value }

    public func encodePostgres() -> String? { value.description }
    public static var postgresTypeName: String? { "date" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        guard let date = CalendarDate(text) else { throw PostgresDecodingError(SQLDate.self) }
        value = date
    }
}

extension Optional where Wrapped == CalendarDate {
    public var sql: SQLDate? { map(SQLDate.init) }
}

extension CalendarDate {
    public var sql: SQLDate { SQLDate(self) }
}
