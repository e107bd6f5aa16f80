import FoundationEssentials

/// CSV as Polish Excel reads it: UTF-8 with a byte-order mark (so "ą", "ł" show),
/// `;` between fields, CRLF line ends, decimal comma, " zł" after amounts.
/// One file holds every table as a section: the table's title on its own line,
/// then its header row and rows, then an empty line. `?table=` serves one table alone.
enum CSVExport {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func render(_ tables: [ReportTable]) -> [UInt8] {
        var text = ""
        for (index, table) in tables.enumerated() {
            if index > 0 { text += "\r\n" }
            text += line([table.title])
            text += render(table)
        }
        return byteOrderMark + Array(text.utf8)
    }

    static func renderSingle(_ table: ReportTable) -> [UInt8] {
        byteOrderMark + Array(render(table).utf8)
    }

    private static func render(_ table: ReportTable) -> String {
        var text = line(table.headers)
        for row in table.rows { text += line(row.map(field)) }
        return text
    }

    static func field(_ cell: ReportTable.Cell) -> String {
        switch cell {
        case let .text(value): value
        case let .integer(value): String(value)
        case let .fixed(value): PolishNumber.fixed(value.hundredths)
        case let .money(value): PolishNumber.money(value)
        case .empty: ""
        }
    }

    private static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ";") + "\r\n"
    }

    private static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
