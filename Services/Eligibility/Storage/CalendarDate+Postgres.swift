import Domain
import Postgres

/// Days travel as `date` in text form (YYYY-MM-DD).
extension CalendarDate: @retroactive PostgresEncodable, @retroactive PostgresDecodable {
    public func encodePostgres() -> String? { description }
    public static var postgresTypeName: String? { "date" }
    public init(postgres text: String) throws(PostgresDecodingError) {
        guard let date = CalendarDate(text) else { throw PostgresDecodingError(CalendarDate.self) }
        self = date
    }
}
