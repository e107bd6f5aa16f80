import Foundation
import Hummingbird
import Mustache
import ServiceRuntime

/// What the footer and the accessibility statement say about the site; from
/// configuration, since each deployment (a MOPS, a powiat) has its own.
struct SiteInfo: Sendable {
    /// Where people open the portal (`portal.public_url`), printed on letters.
    var publicURL: String
    var owner: String
    var contactName: String
    var contactEmail: String
    var contactPhone: String
    var address: String
    /// When the site was published, and when its accessibility was last reviewed (YYYY-MM-DD).
    var publishedOn: String
    var reviewedOn: String
    var statementPreparedOn: String
    /// A Polish Sign Language recording about the Platforma, and its captions (WebVTT), if MOPS provided them.
    /// The building's accessibility, for the statement's section on architecture.
    var buildingAccess: String
    var signLanguageVideo: String?
    var signLanguageCaptions: String?

    init(settings: Settings) {
        publicURL = settings.string("portal.public_url", default: "http://127.0.0.1:8080")
        owner = settings.string("site.owner", default: "Miejski Ośrodek Pomocy Społecznej we Wrocławiu")
        contactName = settings.string("site.contact_name", default: "Zespół Platformy Usług Asystenckich")
        contactEmail = settings.string("site.contact_email", default: "dostepnosc@mops.wroclaw.pl")
        contactPhone = settings.string("site.contact_phone", default: "71 782 23 00")
        address = settings.string("site.address", default: "ul. Strzegomska 6, 53-611 Wrocław")
        publishedOn = settings.string("site.published_on", default: "2026-12-04")
        reviewedOn = settings.string("site.reviewed_on", default: "2026-12-04")
        statementPreparedOn = settings.string("site.statement_prepared_on", default: "2026-12-04")
        buildingAccess = settings.string(
            "site.building_access",
            default: "Do budynku prowadzi wejście bez schodów. W budynku jest winda i toaleta dostosowana do potrzeb osób z niepełnosprawnościami. "
                + "Do budynku można wejść z psem asystującym i psem przewodnikiem.")
        signLanguageVideo = settings.string("site.sign_language_video")
        signLanguageCaptions = settings.string("site.sign_language_captions")
    }
}

/// What is wrong with one field (by its name), for the error summary and the field.
struct FieldError: Sendable {
    var field: String
    var message: String
}

/// A link of the main menu.
struct MenuLink: Sendable {
    var label: String
    var href: String
    var current: Bool
}

/// Renders a page: its template inside the layout, with what every page shows
/// (the person signed in, the menu, the CSRF token, the error summary).
struct Pages: Sendable {
    let library: MustacheLibrary
    let site: SiteInfo

    /// The page's data for the templates: stored properties only, as Mustache reads them.
    private struct Model {
        var title: String
        var site: SiteInfo
        var csrf: String
        var account: AccountView?
        var menu: [MenuLink]
        /// The error summary: each message linked to its field.
        var errors: [SummaryLine]
        var hasErrors: Bool
        /// The page's fields by name, filled with what was typed and their errors.
        var field: [String: Field]
        /// Hidden fields and other values kept across a refused submit.
        var values: [String: String]
        var notice: String?
        var content: Any
    }

    struct SummaryLine {
        var anchor: String
        var message: String
    }

    struct AccountView {
        var displayName: String
        var roleLabel: String
        var guardian: Bool
    }

    func render(
        _ template: String, title: String, context: PortalRequestContext, content: Any = [String: String](), fields: [Field] = [],
        errors: [FieldError] = [], values: [String: String] = [:], notice: String? = nil, status: HTTPResponse.Status = .ok, path: String = ""
    ) -> Response {
        let filled = Self.filled(fields, values: values, errors: errors)
        let anchors = Dictionary(filled.map { ($0.name, $0.anchor) }, uniquingKeysWith: { first, _ in first })
        let account = context.account.map {
            AccountView(displayName: $0.displayName, roleLabel: Self.roleLabel($0.role), guardian: $0.actsAs == .guardian)
        }
        let model = Model(
            title: title, site: site, csrf: context.csrfToken, account: account,
            menu: context.account.map { Self.menu(for: $0.role, at: path) } ?? [],
            errors: errors.map { SummaryLine(anchor: anchors[$0.field] ?? $0.field, message: $0.message) }, hasErrors: !errors.isEmpty,
            field: Dictionary(filled.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }), values: values, notice: notice,
            content: content)
        let html = library.render(model, withTemplate: template) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The fields as a refused form shows them: what was typed and each one's error. A
    /// page that lays fields out itself (a week of from–to pairs) places these.
    static func filled(_ fields: [Field], values: [String: String], errors: [FieldError]) -> [Field] {
        let messages = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        return fields.map { $0.filled(values: values, errors: messages) }
    }

    static func roleLabel(_ role: Role) -> String {
        switch role {
        case .operator: "operator MOPS"
        case .coordinator: "koordynator MOPS"
        case .auditor: "audytor"
        case .provider: "pracownik organizacji"
        case .assistant: "asystent"
        case .participant: "uczestnik"
        }
    }

    /// The main menu of each role: what this pages offer it.
    static func menu(for role: Role, at path: String) -> [MenuLink] {
        var links = [("Strona główna", "/start")]
        switch role {
        case .operator:
            links += [
                ("Nowy wniosek", "/wnioski/nowy"), ("Uczestnicy", "/uczestnicy"), ("Decyzje", "/decyzje"), ("Przydzielanie", "/przydzielanie"),
                ("Miesiące", "/miesiace"),
                ("Sprawozdanie", "/raporty"), ("Operacje", "/operacje"), ("Klucze organizacji", "/klucze"), ("Zaproś pracownika", "/zaproszenia"),
                ("Kod aktywacyjny uczestnika", "/kody-aktywacyjne"),
            ]
        case .coordinator:
            links += [
                ("Nowy wniosek", "/wnioski/nowy"), ("Uczestnicy", "/uczestnicy"), ("Decyzje", "/decyzje"), ("Przydzielanie", "/przydzielanie"),
                ("Kod aktywacyjny uczestnika", "/kody-aktywacyjne"),
            ]
        case .provider: links += [("Wpisy i odpowiedzi", "/wpisy"), ("Nasi asystenci", "/asystenci"), ("Zaproś asystenta", "/zaproszenia")]
        case .participant: links += [("Moje zamówienia", "/zamowienia"), ("Zamów usługę", "/zamowienia/nowe"), ("Karta wizyt", "/karta")]
        case .assistant: links += [("Moje wizyty", "/wizyty")]
        case .auditor: links += [("Decyzje", "/decyzje"), ("Uczestnicy", "/uczestnicy"), ("Miesiące", "/miesiace"), ("Sprawozdanie", "/raporty")]
        }
        return links.map { MenuLink(label: $0.0, href: $0.1, current: $0.1 == path) }
    }
}
