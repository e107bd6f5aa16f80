import Domain
import FoundationEssentials
import Hummingbird
import ServiceRuntime

/// The report and its three export forms for an edition and a range of months.
/// The bodies are pure functions of the read models; the time of the newest
/// applied event travels only in the Last-Modified header. Operators and
/// auditors read them (aggregates, no personal data).
struct ReportRoutes<Context: CallerRequestContext>: Sendable {
    let store: ReportStore

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("editions/{editionID}/report") { request, context in
            try await respond(request, context, format: .json, download: false)
        }
        routes.get("editions/{editionID}/export.json") { request, context in
            try await respond(request, context, format: .json, download: true)
        }
        routes.get("editions/{editionID}/export.csv") { request, context in
            try await respond(request, context, format: .csv, download: true)
        }
        routes.get("editions/{editionID}/export.xlsx") { request, context in
            try await respond(request, context, format: .xlsx, download: true)
        }
        routes.get("editions/{editionID}/settlements", use: settlementCalendar)
        routes.get("editions/{editionID}/settlements/{month}") { request, context in
            try await settlement(context, format: .json, download: false)
        }
        for format in [Format.json, .csv, .xlsx] {
            routes.get("editions/{editionID}/settlements/{month}/export.\(format.rawValue)") { request, context in
                try await settlement(context, format: format, download: true)
            }
        }
        return routes
    }

    /// Each month of the edition with its settlement deadline and its closing.
    @Sendable func settlementCalendar(request: Request, context: Context) async throws -> Response {
        try context.require(.operator, .auditor)
        let editionID = EditionID(try context.parameters.require("editionID"))
        guard let calendar = try await store.settlementCalendar(edition: editionID) else {
            throw APIError.notFound("edition \(editionID.rawValue.prefix(40))")
        }
        return Response(
            status: .ok, headers: [.contentType: Format.json.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONExport.encoder.encode(calendar))))
    }

    /// A closed month's settlement, in the three forms; an open month is a 409 naming its deadline.
    private func settlement(_ context: Context, format: Format, download: Bool) async throws -> Response {
        try context.require(.operator, .auditor)
        let editionID = EditionID(try context.parameters.require("editionID"))
        let month = YearMonth(try context.parameters.require("month"))
        let settlement: Settlement
        switch try await store.settlement(edition: editionID, month: month) {
        case .unknownEdition: throw APIError.notFound("edition \(editionID.rawValue.prefix(40))")
        case .unreadableMonth: throw APIError.invalid([.init(field: "month", message: "must be a month YYYY-MM")])
        case let .outsideEdition(period):
            throw APIError.invalid([
                .init(field: "month", message: "must be a month of the edition, \(period.start.yearMonth) to \(period.end.yearMonth)")
            ])
        case let .open(deadline):
            throw APIError(
                .conflict, code: "month-not-closed",
                message: "a settlement covers a closed month only; \(month.map(\.description) ?? "") is still open"
                    + (deadline.map { " (providers report it by \($0))" } ?? ""))
        case let .settled(settled): settlement = settled
        }
        let bytes: [UInt8] =
            switch format {
            case .json: try Array(JSONExport.encoder.encode(settlement))
            case .csv: CSVExport.render(settlement.tables)
            case .xlsx: try XLSXExport.render(settlement.tables)
            }
        let headers = format.headers(download: download ? "rozliczenie-\(Format.fileSafe(editionID))-\(settlement.month)" : nil)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    enum Format: String {
        case json, csv, xlsx

        var contentType: String {
            switch self {
            case .json: "application/json; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }

        /// The content type and, for a download, the file name `<stem>.<format>`.
        func headers(download stem: String?) -> HTTPFields {
            var headers: HTTPFields = [.contentType: contentType]
            if let stem { headers[.contentDisposition] = "attachment; filename=\"\(stem).\(rawValue)\"" }
            return headers
        }

        /// An edition's id as it may stand in a file name.
        static func fileSafe(_ edition: EditionID) -> String { edition.rawValue.filter { $0.isLetter || $0.isNumber || $0 == "-" } }
    }

    private func respond(_ request: Request, _ context: Context, format: Format, download: Bool) async throws -> Response {
        try context.require(.operator, .auditor)
        let editionID = EditionID(try context.parameters.require("editionID"))
        let query = request.uri.queryParameters
        let from = query.get("from")
        let to = query.get("to")
        let table = query.get("table")
        let report = try await Self.report(store: store, edition: editionID, from: from, to: to)
        let bytes: [UInt8]
        switch format {
        case .json:
            bytes = try JSONExport.render(report)
        case .xlsx:
            bytes = try XLSXExport.render(ReportTable.tables(of: report))
        case .csv:
            let tables = ReportTable.tables(of: report)
            if let table {
                guard let chosen = tables.first(where: { $0.key == table }) else {
                    throw APIError.invalid([.init(field: "table", message: "must be one of: " + tables.map(\.key).joined(separator: ", "))])
                }
                bytes = CSVExport.renderSingle(chosen)
            } else {
                bytes = CSVExport.render(tables)
            }
        }
        var headers = format.headers(
            download: download
                ? "sprawozdanie-\(Format.fileSafe(editionID))-\(report.range.from)-\(report.range.to)"
                    + (table.map { "-\($0.filter { $0.isLetter || $0 == "-" })" } ?? "") : nil)
        if let last = try await store.lastEventTime() {
            headers[.lastModified] = HTTPDate.format(last)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func report(store: ReportStore, edition: EditionID, from: String?, to: String?) async throws -> Report {
        let snapshot = try await store.snapshot(edition: edition) { period in
            do {
                return try MonthRange.parse(from: from, to: to, edition: period)
            } catch let problem as MonthRange.Problem {
                throw APIError.invalid([problem.fieldError])
            }
        }
        guard let snapshot else { throw APIError.notFound("edition \(edition.rawValue.prefix(40))") }
        return ReportBuilder.build(snapshot)
    }
}

extension MonthRange.Problem {
    var fieldError: APIError.FieldError {
        switch self {
        case let .unreadable(field): .init(field: field, message: "must be a month YYYY-MM or a date YYYY-MM-DD")
        case let .notMonthStart(field):
            .init(field: field, message: "must be the first day of a month: reports count whole months, as months are closed and corrected whole")
        case let .notMonthEnd(field):
            .init(field: field, message: "must be the last day of a month: reports count whole months, as months are closed and corrected whole")
        case .reversed: .init(field: "to", message: "must not be before from")
        }
    }
}

/// RFC 9110 dates for Last-Modified ("Sun, 06 Nov 1994 08:49:37 GMT"): English names, UTC.
enum HTTPDate {
    static func format(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let second = Int(date.timeIntervalSince1970.rounded(.down)) - days * 86_400
        let day = CalendarDate(year: 1970, month: 1, day: 1)!.adding(days: days)
        let two = { (value: Int) in (value < 10 ? "0" : "") + String(value) }
        return "\(weekdays[day.isoWeekday - 1]), \(two(day.day)) \(months[day.month - 1]) \(day.year) "
            + "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) GMT"
    }

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
