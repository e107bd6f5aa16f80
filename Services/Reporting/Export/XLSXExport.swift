import FoundationEssentials

/// A real XLSX workbook, written by hand as minimal SpreadsheetML: one sheet per
/// table, Polish headers in bold, numbers stored as numbers (amounts with the
/// format `#,##0.00 "zł"`, hours and percentages with `0.00`), text inline, each
/// sheet set up to print landscape, one page wide, its header row on every page.
/// Every ZIP entry carries the same fixed timestamp, so equal tables give equal bytes.
enum XLSXExport {
    enum Style: Int {
        case general = 0
        case header = 1
        case integer = 2
        case fixed = 3
        case money = 4
    }

    static func render(_ tables: [ReportTable]) throws -> [UInt8] {
        var archive = ZipArchive()
        try archive.add("[Content_Types].xml", Array(contentTypes(sheets: tables.count).utf8))
        try archive.add("_rels/.rels", Array(rootRelationships.utf8))
        try archive.add("xl/workbook.xml", Array(workbook(tables).utf8))
        try archive.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships(sheets: tables.count).utf8))
        try archive.add("xl/styles.xml", Array(styles.utf8))
        for (index, table) in tables.enumerated() {
            try archive.add("xl/worksheets/sheet\(index + 1).xml", Array(worksheet(table).utf8))
        }
        return archive.finished()
    }

    // MARK: - Parts

    private static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static func contentTypes(sheets: Int) -> String {
        var xml = header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        xml += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        for index in 1...max(sheets, 1) where index <= sheets {
            xml +=
                #"<Override PartName="/xl/worksheets/sheet\#(index).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        return xml + "</Types>"
    }

    private static let rootRelationships =
        header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    /// Each sheet repeats its header row on every printed page (`_xlnm.Print_Titles`).
    private static func workbook(_ tables: [ReportTable]) -> String {
        var xml = header + #"<workbook xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipNamespace)"><sheets>"#
        for (index, table) in tables.enumerated() {
            xml += #"<sheet name="\#(escape(sheetName(table.title)))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        xml += "</sheets><definedNames>"
        for (index, table) in tables.enumerated() {
            let quoted = "'" + sheetName(table.title).replacing("'", with: "''") + "'"
            xml += #"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">\#(escape(quoted))!$1:$1</definedName>"#
        }
        return xml + "</definedNames></workbook>"
    }

    private static func workbookRelationships(sheets: Int) -> String {
        var xml = header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in 0..<sheets {
            xml += #"<Relationship Id="rId\#(index + 1)" Type="\#(relationshipNamespace)/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheets + 1)" Type="\#(relationshipNamespace)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }

    private static let styles =
        header + #"<styleSheet xmlns="\#(mainNamespace)">"#
        + ##"<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\ &quot;zł&quot;"/></numFmts>"##
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="5">"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + "</cellXfs>"
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    /// Printed landscape on A4, every column on one page wide (as many pages down as
    /// it takes), so a clerk's paper copy shows whole rows; ECMA-376 fixes the order
    /// of the elements: sheetPr first, cols, sheetData, then margins and page setup.
    static func worksheet(_ table: ReportTable) -> String {
        var xml = header + #"<worksheet xmlns="\#(mainNamespace)">"#
        xml += #"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#
        xml += "<cols>"
        for (index, title) in table.headers.enumerated() {
            let widest = table.rows.map { row in index < row.count ? CSVExport.field(row[index]).count : 0 }.max() ?? 0
            let width = min(max(title.count, widest, 8) + 2, 80)
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>"
        xml += row(1, table.headers.map { ReportTable.Cell.text($0) }, header: true)
        for (index, cells) in table.rows.enumerated() {
            xml += row(index + 2, cells, header: false)
        }
        xml += "</sheetData>"
        xml += #"<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        xml += #"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#
        return xml + "</worksheet>"
    }

    private static func row(_ number: Int, _ cells: [ReportTable.Cell], header: Bool) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            let reference = columnName(index) + String(number)
            switch cell {
            case .empty:
                continue
            case let .text(value):
                let style = header ? Style.header : .general
                xml += #"<c r="\#(reference)" s="\#(style.rawValue)" t="inlineStr"><is><t xml:space="preserve">\#(escape(value))</t></is></c>"#
            case let .integer(value):
                xml += #"<c r="\#(reference)" s="\#(Style.integer.rawValue)" t="n"><v>\#(value)</v></c>"#
            case let .fixed(value):
                xml += #"<c r="\#(reference)" s="\#(Style.fixed.rawValue)" t="n"><v>\#(value.description)</v></c>"#
            case let .money(value):
                xml += #"<c r="\#(reference)" s="\#(Style.money.rawValue)" t="n"><v>\#(value.description)</v></c>"#
            }
        }
        return xml + "</row>"
    }

    /// "A", "B", … "Z", "AA", …
    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Sheet names: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ title: String) -> String {
        String(title.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }

    /// Escapes markup and drops characters XML 1.0 cannot hold.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
