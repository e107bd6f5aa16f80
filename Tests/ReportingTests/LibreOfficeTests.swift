import Domain
import Foundation
import TestSupport
import Testing

@testable import Reporting

/// The workbook as LibreOffice sees it: it must open without error (converted to
/// PDF), every sheet's first printed page must show all its columns, and every
/// sheet converted back to CSV must hold the numbers we wrote.
/// `scripts/setup` installs LibreOffice (Debian's libreoffice-calc-nogui); without
/// it this test fails, saying so.
@Suite struct LibreOfficeTests {
    static let office = ["/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let pdftotext = ["/usr/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func theWorkbookOpensAndItsNumbersReadBack() async throws {
        let office = try #require(Self.office, "LibreOffice is not installed: run scripts/setup (apt-get install libreoffice-calc-nogui)")
        let report = try await ReportingDatabase.withFresh { pool in
            try await DirectApplier(pool: pool).apply(Scenario.all)
            return try await ReadModelScenarioTests.report(pool)
        }
        let tables = ReportTable.tables(of: report)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-lo-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let workbook = directory.appendingPathComponent("sprawozdanie.xlsx")
        try Data(try XLSXExport.render(tables)).write(to: workbook)

        // A private profile, so parallel runs and a user's settings never interfere.
        let profile = "-env:UserInstallation=file://" + directory.appendingPathComponent("profile").path
        let pdf = try await run(office, [profile, "--headless", "--convert-to", "pdf", "--outdir", directory.path, workbook.path])
        #expect(pdf.status == 0, "LibreOffice failed to convert the workbook to PDF: \(pdf.output)")
        let pdfBytes = try Data(contentsOf: directory.appendingPathComponent("sprawozdanie.pdf"))
        #expect(pdfBytes.starts(with: Array("%PDF".utf8)))

        // On paper each sheet's first page shows all its columns (landscape, one page wide):
        // each sheet alone in a workbook, so page 1 of its PDF is that sheet's page 1.
        let pdftotext = try #require(Self.pdftotext, "pdftotext is not installed: run scripts/setup (apt-get install poppler-utils)")
        let sheets = directory.appendingPathComponent("sheets")
        try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true)
        let single = try tables.enumerated().map { index, table in
            let file = sheets.appendingPathComponent("sheet-\(index).xlsx")
            try Data(try XLSXExport.render([table])).write(to: file)
            return file.path
        }
        let printed = try await run(office, [profile, "--headless", "--convert-to", "pdf", "--outdir", sheets.path] + single)
        #expect(printed.status == 0, "\(printed.output)")
        for (index, table) in tables.enumerated() {
            let page = try await run(pdftotext, ["-f", "1", "-l", "1", "-layout", sheets.appendingPathComponent("sheet-\(index).pdf").path, "-"])
            let missing = Self.headers(of: table, missingFrom: page.output)
            #expect(page.status == 0 && missing.isEmpty, "\(table.title): page 1 of its print lacks \(missing)")
        }

        // CSV of every sheet (LibreOffice ≥ 7.2: the 12th filter token -1 writes one file per sheet),
        // UTF-8 (76), `;` (59), numbers as shown with the en-US locale's dot is avoided: raw values (false for "as shown").
        let filter = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1033,false,true,false,false,false,-1"
        let csv = try await run(office, [profile, "--headless", "--convert-to", filter, "--outdir", directory.path, workbook.path])
        #expect(csv.status == 0, "LibreOffice failed to convert the workbook to CSV: \(csv.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
        #expect(files.count == tables.count, "one CSV per sheet: \(files.sorted())")

        let costs = try String(contentsOf: directory.appendingPathComponent("sprawozdanie-Koszty.csv"), encoding: .utf8)
        // Raw cell values: the money cells hold numbers, not text with "zł".
        #expect(costs.contains("2022-05;Fundacja Ąę Słońce;86.63;200;0;0;286.63"), "\(costs)")
        #expect(costs.contains("Razem;Razem;322.63;200;30;50;602.63"), "\(costs)")
        let budget = try String(contentsOf: directory.appendingPathComponent("sprawozdanie-Wykonanie budżetu.csv"), encoding: .utf8)
        #expect(budget.contains("Dotacja MRiPS (Fundusz Solidarnościowy);8000;412.3;5.15;7587.7"), "\(budget)")
        let months = try String(contentsOf: directory.appendingPathComponent("sprawozdanie-Godziny wg miesięcy.csv"), encoding: .utf8)
        #expect(months.contains("2022-05;tak;6.25;6;6;3"), "\(months)")
    }

    /// A sheet longer than a page: every printed page starts with its header row
    /// (the workbook's `_xlnm.Print_Titles`), so page 3 of the details still says
    /// which column is the hours and which the cost.
    @Test func aLongSheetRepeatsItsHeaderRowOnEveryPrintedPage() async throws {
        let office = try #require(Self.office, "LibreOffice is not installed: run scripts/setup (apt-get install libreoffice-calc-nogui)")
        let pdftotext = try #require(Self.pdftotext, "pdftotext is not installed: run scripts/setup (apt-get install poppler-utils)")
        let table = ReportTable(
            key: "godziny-szczegoly", title: "Godziny szczegółowo",
            headers: ["Miesiąc", "Organizacja", "Grupa", "Godziny", "Koszt godzin"],
            rows: (1...150).map {
                [
                    .text("2022-05"), .text("Fundacja \($0)"), .text("Dorośli – stopień znaczny"), .fixed(Fixed2(hundredths: 150)),
                    .money(Money(grosze: 6000)),
                ]
            }
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-lo-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let workbook = directory.appendingPathComponent("szczegoly.xlsx")
        try Data(try XLSXExport.render([table])).write(to: workbook)

        let profile = "-env:UserInstallation=file://" + directory.appendingPathComponent("profile").path
        let pdf = try await run(office, [profile, "--headless", "--convert-to", "pdf", "--outdir", directory.path, workbook.path])
        #expect(pdf.status == 0, "\(pdf.output)")
        let text = try await run(pdftotext, ["-layout", directory.appendingPathComponent("szczegoly.pdf").path, "-"])
        // pdftotext ends every page with a form feed.
        let pages = text.output.split(separator: "\u{0C}", omittingEmptySubsequences: false).dropLast()
        #expect(text.status == 0 && pages.count >= 3, "150 rows print on several pages: \(pages.count)")
        for (number, page) in pages.enumerated() {
            let missing = Self.headers(of: table, missingFrom: String(page))
            #expect(missing.isEmpty, "page \(number + 1) lacks \(missing)")
        }
    }

    /// The headers a printed page's text lacks (words compared, as the layout spaces them).
    static func headers(of table: ReportTable, missingFrom page: String) -> [String] {
        let words = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return table.headers.filter { !words.contains($0.split(whereSeparator: \.isWhitespace).joined(separator: " ")) }
    }
}
