import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// The edition's report as pages a clerk would rather look at than read: hours
/// per month and per NGO, the budget against its plan, participants by group and
/// the edition's targets, each an SVG chart with its figures in a table beside
/// it; and reporting's XLSX, CSV and JSON exports as downloads. Operators and
/// auditors (reporting's own roles); the report holds no personal data.
struct ReportRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("raporty", use: show)
        for format in Export.allCases {
            routes.get("raporty/eksport.\(format.rawValue)") { request, context in try await export(format, request: request, context: context) }
        }
        return routes
    }

    enum Export: String, CaseIterable, Sendable {
        case xlsx, csv, json

        var contentType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .csv: "text/csv; charset=utf-8"
            case .json: "application/json"
            }
        }

        var label: String {
            switch self {
            case .xlsx: "Arkusz XLSX (Excel, LibreOffice)"
            case .csv: "CSV (wszystkie tabele w jednym pliku)"
            case .json: "JSON (dla systemów)"
            }
        }

        /// reporting's bytes passed on as a download named `<stem>.<format>`.
        func download(_ body: Data, named stem: String) -> Response {
            Response(
                status: .ok, headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(stem).\(rawValue)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static let fields = [
        Field("edycja", label: "Edycja programu", hint: "Rok, na przykład 2022.", autocomplete: "off"),
        Field("od", label: "Od miesiąca", hint: "Na przykład 2022-05. Puste: od początku edycji.", autocomplete: "off"),
        Field("do", label: "Do miesiąca", hint: "Na przykład 2022-12. Puste: do końca edycji.", autocomplete: "off"),
    ]

    /// The page's query, checked: the edition and the range of months reporting reads.
    struct Selection: Sendable {
        var edition: String
        var from: String
        var to: String
        var errors: [FieldError] = []

        init(_ query: [String: String], defaultEdition: String) {
            let edition = query["edycja", default: ""].trimmingCharacters(in: .whitespaces)
            self.edition = edition.isEmpty ? defaultEdition : edition
            from = query["od", default: ""].trimmingCharacters(in: .whitespaces)
            to = query["do", default: ""].trimmingCharacters(in: .whitespaces)
            if self.edition.unicodeScalars.count > 128 { errors.append(FieldError(field: "edycja", message: "Wpisz rok edycji, na przykład 2022.")) }
            for (field, value) in [("od", from), ("do", to)] where !value.isEmpty && YearMonth(value) == nil {
                errors.append(FieldError(field: field, message: "Wpisz miesiąc jako rok i miesiąc, na przykład 2022-05."))
            }
        }

        var values: [String: String] { ["edycja": edition, "od": from, "do": to] }

        /// reporting's query for the range (empty: the whole edition).
        var range: String {
            let query = ["from": from, "to": to].filter { !$0.value.isEmpty }
            return query.isEmpty ? "" : "?" + FormFields.query(query)
        }

        func path(_ document: String) -> String { "/editions/\(edition.urlComponentEncoded)/\(document)" + range }
    }

    /// A table row: its first cell heads the row.
    struct Row: Sendable {
        var head: String
        var cells: [String]

        init(cells: [String]) {
            head = cells.first ?? ""
            self.cells = Array(cells.dropFirst())
        }
    }

    struct Section: Sendable {
        var id: String
        var heading: String
        var chart: BarChart
        var caption: String
        var headers: [String]
        var rows: [Row]
    }

    struct Download: Sendable {
        var label: String
        var href: String
    }

    struct ReportPage: Sendable {
        var name: String
        var range: String
        var sections: [Section]
        var downloads: [Download]
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .auditor)
        let selection = Selection(request.queryFields, defaultEdition: clock.edition)
        guard selection.errors.isEmpty else { return refused(context, selection, errors: selection.errors) }
        let answer = try await services.send(.GET, .reporting, selection.path("report"), as: account)
        switch answer.status {
        case .ok: break
        case .notFound:
            return refused(context, selection, errors: [FieldError(field: "edycja", message: "Nie ma takiej edycji programu. Wpisz jej rok.")])
        case .unprocessableEntity:
            return refused(
                context, selection, errors: [FieldError(field: "od", message: "Miesiące muszą leżeć w okresie edycji, a „od” przed „do”.")])
        default: throw ServiceCallFailure.answered(.reporting, answer.status.code)
        }
        let report: ServiceRecords.Report
        do {
            report = try EventCodec.foundationDecoder.decode(ServiceRecords.Report.self, from: answer.body)
        } catch {
            throw ServiceCallFailure.unreadable(.reporting)
        }
        let content = ReportPage(
            name: report.edition.name,
            range: "od \(YearMonth(report.range.from).map(PolishText.ofMonth) ?? report.range.from) do "
                + (YearMonth(report.range.to).map(PolishText.ofMonth) ?? report.range.to),
            sections: Self.sections(of: report),
            downloads: Export.allCases.map { format in
                Download(
                    label: format.label,
                    href: "/raporty/eksport.\(format.rawValue)?" + FormFields.query(selection.values.filter { !$0.value.isEmpty }))
            })
        return pages.render(
            "report", title: "Sprawozdanie: \(report.edition.name)", context: context, content: content, fields: Self.fields,
            values: selection.values, path: "/raporty")
    }

    private func refused(_ context: PortalRequestContext, _ selection: Selection, errors: [FieldError]) -> Response {
        pages.render(
            "report", title: "Sprawozdanie", context: context, fields: Self.fields, errors: errors, values: selection.values,
            status: .unprocessableContent, path: "/raporty")
    }

    private static func monthName(_ text: String) -> String { YearMonth(text).map(PolishText.month) ?? text }

    private static func number(_ text: String) -> Double { Double(text) ?? 0 }

    /// The report's five charts, each with the table of its figures.
    static func sections(of report: ServiceRecords.Report) -> [Section] {
        let months = report.hoursByMonth.filter { $0.month != "total" }
        let total = report.hoursByMonth.first { $0.month == "total" }
        let groups = report.participants.filter { $0.group != "total" }
        return [
            Section(
                id: "godziny-miesiace", heading: "Godziny w miesiącach",
                chart: BarChart(
                    id: "wykres-miesiace", title: "Zrealizowane godziny w miesiącach",
                    figures: months.map { .init(label: monthName($0.month), value: number($0.hours), text: PolishText.decimal($0.hours) + " godz.") }),
                caption: "Zrealizowane godziny, wpisy i uczestnicy w miesiącach",
                headers: ["Miesiąc", "Godziny", "Wpisy", "Uczestnicy z godzinami"],
                rows: months.map { Row(cells: [monthName($0.month), PolishText.decimal($0.hours), "\($0.entries)", "\($0.participantsServed)"]) }
                    + (total.map { [Row(cells: ["Razem", PolishText.decimal($0.hours), "\($0.entries)", "\($0.participantsServed)"])] } ?? [])),
            Section(
                id: "godziny-organizacje", heading: "Godziny według organizacji",
                chart: BarChart(
                    id: "wykres-organizacje", title: "Zrealizowane godziny według organizacji",
                    figures: report.hoursByProvider.filter { $0.providerID != nil }.map {
                        .init(label: $0.name, value: number($0.hours), text: PolishText.decimal($0.hours) + " godz.")
                    }),
                caption: "Godziny i ich koszt według organizacji", headers: ["Organizacja", "Godziny", "Koszt godzin"],
                rows: report.hoursByProvider.map { Row(cells: [$0.name, PolishText.decimal($0.hours), PolishText.amount($0.hoursCost)]) }),
            Section(
                id: "budzet", heading: "Wykonanie budżetu",
                chart: BarChart(
                    id: "wykres-budzet", title: "Wydatki wobec planu",
                    figures: report.budget.map {
                        .init(
                            label: $0.label, value: number($0.spent), text: PolishText.decimal($0.percent ?? "0.00") + " % planu",
                            whole: number($0.plan))
                    }),
                caption: "Plan i wydatki według źródła finansowania", headers: ["Źródło", "Plan", "Wydano", "Procent planu", "Pozostało"],
                rows: report.budget.map {
                    Row(
                        cells: [
                            $0.label, PolishText.amount($0.plan), PolishText.amount($0.spent), PolishText.decimal($0.percent ?? "0.00") + " %",
                            PolishText.amount($0.remaining),
                        ])
                }),
            Section(
                id: "uczestnicy", heading: "Uczestnicy według grup",
                chart: BarChart(
                    id: "wykres-uczestnicy", title: "Uczestnicy z godzinami spośród objętych decyzją",
                    figures: groups.map {
                        .init(label: $0.label, value: Double($0.served), text: "\($0.served) z \($0.granted)", whole: Double(max($0.granted, 1)))
                    }),
                caption: "Uczestnicy według grup", headers: ["Grupa", "Objęci decyzją", "Z godzinami zrealizowanymi"],
                rows: report.participants.map { Row(cells: [$0.label, "\($0.granted)", "\($0.served)"]) }),
            Section(
                id: "cele", heading: "Realizacja celów edycji",
                chart: BarChart(
                    id: "wykres-cele", title: "Postęp wobec celów edycji",
                    figures: report.targets.map {
                        .init(
                            label: $0.label, value: number($0.achieved), text: PolishText.decimal($0.percent ?? "0.00") + " % celu",
                            whole: Double(max($0.target, 1)))
                    }),
                caption: "Cele edycji i ich realizacja", headers: ["Wskaźnik", "Cel", "Osiągnięto", "Procent celu"],
                rows: report.targets.map {
                    Row(cells: [
                        $0.label, PolishText.decimal("\($0.target)"), PolishText.decimal($0.achieved),
                        PolishText.decimal($0.percent ?? "0.00") + " %",
                    ])
                }),
        ]
    }

    /// reporting's export, passed through with the person's own token.
    private func export(_ format: Export, request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .auditor)
        let selection = Selection(request.queryFields, defaultEdition: clock.edition)
        guard selection.errors.isEmpty else { return refused(context, selection, errors: selection.errors) }
        let answer = try await services.send(.GET, .reporting, selection.path("export.\(format.rawValue)"), as: account)
        guard answer.status == .ok else {
            if answer.status == .notFound { throw PortalDenial.notFound }
            return refused(
                context, selection, errors: [FieldError(field: "od", message: "Miesiące muszą leżeć w okresie edycji, a „od” przed „do”.")])
        }
        return format.download(
            answer.body,
            named: "sprawozdanie-\(selection.edition.filter { $0.isLetter || $0.isNumber })"
                + [selection.from, selection.to].filter { !$0.isEmpty }.map { "-" + $0 }.joined())
    }
}
