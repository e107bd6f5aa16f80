import Domain
import Postgres

/// A day as a bind parameter or a column: `date`, in text form (YYYY-MM-DD).
/// A wrapper rather than a conformance of `CalendarDate`, so two services (and a
/// test that links both) never declare the same retroactive conformance.
struct SQLDate: PostgresEncodable, PostgresDecodable, Sendable {
    var value: CalendarDate

    init(_ value: CalendarDate) { self.value = value }

    func encodePostgres() -> String? { value.description }
    static var postgresTypeName: String? { "date" }
    init(postgres text: String) throws(PostgresDecodingError) {
        guard let date = CalendarDate(text) else { throw PostgresDecodingError(SQLDate.self) }
        value = date
    }
}

extension Optional where Wrapped == CalendarDate {
    var sql: SQLDate? { map(SQLDate.init) }
}

extension CalendarDate {
    var sql: SQLDate { SQLDate(self) }
}
