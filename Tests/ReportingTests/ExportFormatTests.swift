import Domain
import Foundation
import Testing

@testable import Reporting

/// CSV and XLSX rendering of a small, fixed table set: formatting a reader sees.
@Suite struct ExportFormatTests {
    static let tables = [
        ReportTable(
            key: "koszty", title: "Koszty", headers: ["Organizacja", "Godziny", "Koszt", "Liczba"],
            rows: [
                [.text("Fundacja Promyk Słońca"), .fixed(Fixed2(hundredths: 1250)), .money(Money(grosze: 123_456)), .integer(7)],
                [
                    .text("Wrocławskie Stowarzyszenie Głuchych \"Nadzieja\"; oddział"), .fixed(Fixed2(hundredths: -25)), .money(Money(grosze: -5)),
                    .empty,
                ],
            ]),
        ReportTable(key: "uwagi", title: "Wykonanie budżetu", headers: ["Źródło"], rows: [[.text("Dotacja MRiPS")]]),
    ]

    @Test func csvHasBOMSemicolonsDecimalCommaAndZloty() throws {
        let bytes = CSVExport.render(Self.tables)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "Koszty")
        #expect(lines[1] == "Organizacja;Godziny;Koszt;Liczba")
        #expect(lines[2] == "Fundacja Promyk Słońca;12,50;1234,56 zł;7")
        // A field holding `;` or `"` is quoted, quotes doubled; negatives keep their sign.
        #expect(lines[3] == "\"Wrocławskie Stowarzyszenie Głuchych \"\"Nadzieja\"\"; oddział\";-0,25;-0,05 zł;")
        #expect(lines[4] == "")
        #expect(lines[5] == "Wykonanie budżetu")
        #expect(lines[6] == "Źródło")
    }

    @Test func singleTableCSVHasNoTitleLine() {
        let text = String(decoding: CSVExport.renderSingle(Self.tables[1]).dropFirst(3), as: UTF8.self)
        #expect(text == "Źródło\r\nDotacja MRiPS\r\n")
    }

    /// On paper: every sheet landscape on A4, one page wide, its header row repeated on each page.
    @Test func everySheetPrintsLandscapeOnePageWideWithItsHeaderRepeated() throws {
        let parts = try XLSXReader.parts(of: try XLSXExport.render(Self.tables))
        for (index, table) in Self.tables.enumerated() {
            let sheet = try #require(parts["xl/worksheets/sheet\(index + 1).xml"])
            #expect(sheet.contains(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><cols>"#), "sheetPr comes first: \(table.title)")
            #expect(
                sheet.contains(#"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>"#), "\(table.title)")
            #expect(
                parts["xl/workbook.xml"]?.contains(
                    #"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">'\#(table.title)'!$1:$1</definedName>"#) == true,
                "\(table.title)'s header row repeats")
        }
    }

    /// Each row of a group table names its group on its own: a printed row with
    /// multiple disabilities cannot be mistaken for the one without.
    @Test func groupRowsStandOnTheirOwn() {
        let labels = GroupKey.all.map(\.label)
        #expect(Set(labels).count == labels.count, "\(labels)")
        #expect(GroupKey(category: .adultSignificant, multipleDisabilities: true).label == "Dorośli – stopień znaczny, niepełnosprawność sprzężona")
        #expect(GroupKey(category: .adultSignificant, multipleDisabilities: false).label == "Dorośli – stopień znaczny")
    }

    @Test func xlsxIsReproducibleByteForByte() throws {
        #expect(try XLSXExport.render(Self.tables) == XLSXExport.render(Self.tables))
    }

    @Test func worksheetStoresNumbersAsNumbersWithFormats() {
        let xml = XLSXExport.worksheet(Self.tables[0])
        #expect(xml.contains(#"<c r="B2" s="3" t="n"><v>12.50</v></c>"#))
        #expect(xml.contains(#"<c r="C2" s="4" t="n"><v>1234.56</v></c>"#))
        #expect(xml.contains(#"<c r="D2" s="2" t="n"><v>7</v></c>"#))
        #expect(xml.contains("Głuchych &quot;Nadzieja&quot;"))
        #expect(!xml.contains(#"r="D3""#))
    }

    @Test(arguments: [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
    func columnNames(index: Int, name: String) {
        #expect(XLSXExport.columnName(index) == name)
    }

    @Test func sheetNamesFitExcel() {
        #expect(XLSXExport.sheetName("Godziny wg organizacji: bardzo długa nazwa arkusza") == "Godziny wg organizacji bardzo d")
        #expect(XLSXExport.sheetName("Koszty [zł]").count <= 31)
        #expect(XLSXExport.sheetName("Koszty [zł]") == "Koszty zł")
    }

    @Test func redactionRemovesLongDigitRuns() {
        #expect(Redaction.reason("pomyłka w PESEL 44051401359, poprawiono 2 h") == "pomyłka w PESEL [usunięto], poprawiono 2 h")
        #expect(Redaction.reason("tel. 600700800\nzła data") == "tel. [usunięto] zła data")
        #expect(Redaction.reason(nil) == "(brak powodu)")
    }
}
