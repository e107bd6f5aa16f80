import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// A coordinator enters an application (the "karta zgłoszeniowa") with its scans,
/// as intake's API takes it: the person, the certificate, the guardian, the
/// declared needs and the documents. Refusals come back next to each field in
/// Polish, the same rules as intake's 422; a PESEL that already applied in the
/// edition leads to that application instead of a bare 409. The application's
/// page shows its documents, adds a missing one, and links eligibility's decision.
struct ApplicationRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock
    /// intake's limit for one document (`intake.document_max_bytes`), shown before upload.
    static let documentLimit = 5 * 1024 * 1024

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("wnioski/nowy") { request, context in
            _ = try context.person(request, .coordinator, .operator)
            return form(context, values: ["edycja": clock.edition, "miasto": "Wrocław"])
        }
        routes.post("wnioski", use: submit)
        routes.get("wnioski/{id}", use: show)
        routes.post("wnioski/{id}/dokumenty", use: addDocument)
        return routes
    }

    // MARK: - The form

    /// The scans, by field: the document kind intake records each as.
    static let scans: [(field: String, kind: String)] = [
        ("skan-orzeczenia", "certificate-copy"), ("skan-karty", "application-form"), ("skan-postanowienia", "court-ruling"),
        ("skan-opiekuna", "guardianship-proof"), ("skan-oceny", "support-needs-assessment"),
    ]

    static func documentLabel(_ kind: String) -> String {
        switch kind {
        case "certificate-copy": "kopia orzeczenia"
        case "application-form": "karta zgłoszeniowa"
        case "court-ruling": "postanowienie sądu o ubezwłasnowolnieniu"
        case "guardianship-proof": "dokument ustanowienia opiekuna prawnego"
        case "support-needs-assessment": "ocena poziomu potrzeby wsparcia"
        default: kind
        }
    }

    /// The limit as the form states it before upload ("5 MB").
    static let documentLimitText = "\(documentLimit / (1024 * 1024)) MB"
    static let scanHint = "PDF, JPEG albo PNG, do \(documentLimitText)."

    static let fields: [Field] =
        [
            Field(
                "edycja", label: "Edycja programu albo ustawa",
                hint: "Rok edycji programu, na przykład 2022, albo ustawa-2027 dla asystencji według ustawy (od 1 kwietnia 2027 r.).",
                autocomplete: "off"),
            Field("imie", label: "Imię", autocomplete: "off"),
            Field("nazwisko", label: "Nazwisko", autocomplete: "off"),
            Field("pesel", label: "PESEL", hint: "11 cyfr.", autocomplete: "off", verbatim: true),
            Field("urodzenie", label: "Data urodzenia", hint: "Na przykład 14.03.1985.", autocomplete: "off"),
            Field("ulica", label: "Ulica i numer", autocomplete: "off"),
            Field("kod", label: "Kod pocztowy", hint: "Na przykład 50-001.", autocomplete: "off"),
            Field("miasto", label: "Miejscowość", autocomplete: "off"),
            Field("telefon", label: "Telefon", hint: "Podaj telefon albo e-mail.", autocomplete: "off"),
            Field("email", label: "E-mail", autocomplete: "off", verbatim: true),
            Field(
                "ubezwlasnowolniony", label: "Ubezwłasnowolnienie", type: "checkbox",
                options: [Field.Option(value: "tak", label: "Osoba jest ubezwłasnowolniona i ma opiekuna prawnego")]),
            Field("opiekun-imie", label: "Imię opiekuna prawnego", autocomplete: "off"),
            Field("opiekun-nazwisko", label: "Nazwisko opiekuna prawnego", autocomplete: "off"),
            Field("opiekun-telefon", label: "Telefon opiekuna", hint: "Podaj telefon albo e-mail opiekuna.", autocomplete: "off"),
            Field("opiekun-email", label: "E-mail opiekuna", autocomplete: "off", verbatim: true),
            Field(
                "rodzaj", label: "Rodzaj orzeczenia", type: "radio",
                options: [
                    Field.Option(value: "degree", label: "o stopniu niepełnosprawności"),
                    Field.Option(value: "equivalent", label: "równoważne (na przykład o niezdolności do pracy)"),
                    Field.Option(value: "child-disability", label: "o niepełnosprawności dziecka"),
                ]),
            Field(
                "stopien", label: "Stopień", hint: "Tylko dla orzeczenia o stopniu albo równoważnego.", type: "select",
                options: [
                    Field.Option(value: "significant", label: "znaczny"), Field.Option(value: "moderate", label: "umiarkowany"),
                    Field.Option(value: "mild", label: "lekki"),
                ]),
            Field(
                "wskazania", label: "Wskazania w orzeczeniu", hint: "Punkty 7 i 8 orzeczenia.", type: "checkbox",
                options: [
                    Field.Option(value: "7", label: "7: konieczność stałej lub długotrwałej opieki"),
                    Field.Option(value: "8", label: "8: konieczność stałego współudziału opiekuna w leczeniu i rehabilitacji"),
                ]),
            Field(
                "sprzezona", label: "Niepełnosprawność sprzężona", type: "checkbox",
                options: [Field.Option(value: "tak", label: "Orzeczenie wskazuje więcej niż jedną przyczynę niepełnosprawności")]),
            Field("wydane", label: "Data wydania orzeczenia", hint: "Na przykład 2.02.2021.", autocomplete: "off"),
            Field("wazne", label: "Ważne do", hint: "Puste, gdy orzeczenie jest bezterminowe.", autocomplete: "off"),
            Field(
                "bezterminowe", label: "Orzeczenie bezterminowe", type: "checkbox",
                options: [Field.Option(value: "tak", label: "Orzeczenie jest bezterminowe")]),
            Field(
                "czynnosci", label: "W czym potrzebna jest pomoc", type: "checkbox",
                options: ActivityCategory.allCases.map { Field.Option(value: $0.rawValue, label: Labels.activity($0)) }),
            Field("godziny", label: "Godzin usług miesięcznie", hint: "Od 1 do 744.", autocomplete: "off"),
            Field("punkty", label: "Poziom potrzeby wsparcia (punkty)", hint: "Od 0 do 100, z oceny poziomu potrzeby wsparcia.", autocomplete: "off"),
            Field("ocena-data", label: "Data oceny", hint: "Na przykład 20.11.2026.", autocomplete: "off"),
            Field("ocena-organ", label: "Kto wydał ocenę", hint: "Na przykład MZON Wrocław.", autocomplete: "off"),
        ] + scans.map { Field($0.field, label: documentLabel($0.kind).capitalizedFirst, hint: scanHint, type: "file") }

    private func form(
        _ context: PortalRequestContext, values: [String: String], errors: [FieldError] = [], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.render(
            "application-new", title: "Nowy wniosek", context: context, content: ["limit": Self.documentLimitText], fields: Self.fields,
            errors: errors,
            values: values, notice: notice, status: status, path: "/wnioski/nowy")
    }

    // MARK: - Submitting

    private struct Contact: Encodable {
        var phone: String?
        var email: String?
    }
    private struct Person: Encodable {
        struct Address: Encodable {
            var street: String
            var postalCode: String
            var city: String
        }
        var firstName: String
        var lastName: String
        var pesel: String
        var birthDate: String
        var address: Address
        var contact: Contact
    }
    private struct Guardian: Encodable {
        var firstName: String
        var lastName: String
        var contact: Contact
    }
    private struct Certificate: Encodable {
        struct Indications: Encodable {
            var constantCare: Bool
            var carerParticipation: Bool
        }
        var kind: String
        var degree: String?
        var indications: Indications
        var multipleDisabilities: Bool
        var issuedOn: String
        var validUntil: String?
        var permanent: Bool
    }
    private struct Needs: Encodable {
        var activities: [String]
        var hoursPerMonth: Int
    }
    private struct SupportNeeds: Encodable {
        var score: Int
        var assessedOn: String
        var issuedBy: String
    }
    struct Document: Encodable {
        var kind: String
        var fileName: String
        var contentBase64: String
    }
    private struct Application: Encodable {
        var edition: String
        var person: Person
        var legallyIncapacitated: Bool
        var guardian: Guardian?
        var certificate: Certificate
        var declaredNeeds: Needs
        var supportNeeds: SupportNeeds?
        var documents: [Document]
    }

    /// Why a scan cannot be sent, in the words the page shows.
    struct ScanRefusal: Error {
        var message: String
    }

    /// A scan as intake takes it, or the reason it cannot be sent.
    static func document(_ file: UploadedFile, kind: String) -> Result<Document, ScanRefusal> {
        guard file.kind != nil else {
            return .failure(ScanRefusal(message: "Ten plik nie jest PDF-em, JPEG-iem ani PNG. Zeskanuj dokument do jednego z tych formatów."))
        }
        guard file.bytes.count <= documentLimit else {
            return .failure(ScanRefusal(message: "Plik ma więcej niż \(documentLimitText). Zeskanuj dokument w mniejszej rozdzielczości."))
        }
        let name = String(String(file.fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "skan").prefix(255))
        return .success(Document(kind: kind, fileName: name, contentBase64: Data(file.bytes).base64EncodedString()))
    }

    @Sendable func submit(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let form = context.form
        var errors: [FieldError] = []
        func required(_ field: String, _ message: String) -> String {
            let value = form[field]
            if value.isEmpty { errors.append(FieldError(field: field, message: message)) }
            return value
        }
        func day(_ field: String, _ message: String, optional: Bool = false) -> String? {
            if form[field].isEmpty && optional { return nil }
            guard let day = PolishInput.day(form[field]) else {
                errors.append(FieldError(field: field, message: message))
                return nil
            }
            return day
        }
        let edition = required("edycja", "Wpisz edycję programu, na przykład 2022.")
        let firstName = required("imie", "Wpisz imię.")
        let lastName = required("nazwisko", "Wpisz nazwisko.")
        let pesel = required("pesel", "Wpisz PESEL: 11 cyfr.")
        let birthDate = day("urodzenie", "Wpisz datę urodzenia, na przykład 14.03.1985.")
        let street = required("ulica", "Wpisz ulicę i numer domu.")
        let postalCode = required("kod", "Wpisz kod pocztowy, na przykład 50-001.")
        let city = required("miasto", "Wpisz miejscowość.")
        let incapacitated = form["ubezwlasnowolniony-tak"] == "tak"
        let kind = form["rodzaj"]
        if !["degree", "equivalent", "child-disability"].contains(kind) {
            errors.append(FieldError(field: "rodzaj", message: "Wybierz rodzaj orzeczenia."))
        }
        let issuedOn = day("wydane", "Wpisz datę wydania orzeczenia, na przykład 2.02.2021.")
        let validUntil = day("wazne", "Wpisz, do kiedy orzeczenie jest ważne, na przykład 31.12.2025.", optional: true)
        let activities = ActivityCategory.allCases.map(\.rawValue).filter { form["czynnosci-" + $0] == "tak" }
        if activities.isEmpty { errors.append(FieldError(field: "czynnosci", message: "Zaznacz co najmniej jedną czynność.")) }
        let hours = Int(form["godziny"])
        if hours == nil { errors.append(FieldError(field: "godziny", message: "Wpisz liczbę godzin miesięcznie: całą liczbę od 1 do 744.")) }
        // The score is given whole (points, day, body) or not at all.
        var supportNeeds: SupportNeeds?
        if !(form["punkty"] + form["ocena-data"] + form["ocena-organ"]).isEmpty {
            let score = Int(form["punkty"]).flatMap { (0...100).contains($0) ? $0 : nil }
            if score == nil { errors.append(FieldError(field: "punkty", message: "Wpisz liczbę punktów z oceny: całą liczbę od 0 do 100.")) }
            let assessedOn = day("ocena-data", "Wpisz datę oceny, na przykład 20.11.2026.")
            let issuedBy = required("ocena-organ", "Wpisz, kto wydał ocenę, na przykład MZON Wrocław.")
            if let score, let assessedOn { supportNeeds = SupportNeeds(score: score, assessedOn: assessedOn, issuedBy: issuedBy) }
        }
        var documents: [Document] = []
        for scan in Self.scans {
            guard let file = context.files[scan.field] else { continue }
            switch Self.document(file, kind: scan.kind) {
            case let .success(document): documents.append(document)
            case let .failure(refusal): errors.append(FieldError(field: scan.field, message: refusal.message))
            }
        }
        let refill = form.values
        guard errors.isEmpty, let birthDate, let issuedOn, let hours else {
            return self.form(context, values: refill, errors: errors + Self.reattach(context, besides: errors), status: .unprocessableContent)
        }
        let contact = { (phone: String, email: String) in Contact(phone: phone.isEmpty ? nil : phone, email: email.isEmpty ? nil : email) }
        let guardianGiven = !(form["opiekun-imie"] + form["opiekun-nazwisko"] + form["opiekun-telefon"] + form["opiekun-email"]).isEmpty
        let application = Application(
            edition: edition,
            person: Person(
                firstName: firstName, lastName: lastName, pesel: pesel, birthDate: birthDate,
                address: .init(street: street, postalCode: postalCode, city: city), contact: contact(form["telefon"], form["email"])),
            legallyIncapacitated: incapacitated,
            guardian: incapacitated || guardianGiven
                ? Guardian(
                    firstName: form["opiekun-imie"], lastName: form["opiekun-nazwisko"],
                    contact: contact(form["opiekun-telefon"], form["opiekun-email"]))
                : nil,
            certificate: Certificate(
                kind: kind, degree: kind == "child-disability" || form["stopien"].isEmpty ? nil : form["stopien"],
                indications: .init(constantCare: form["wskazania-7"] == "tak", carerParticipation: form["wskazania-8"] == "tak"),
                multipleDisabilities: form["sprzezona-tak"] == "tak", issuedOn: issuedOn, validUntil: validUntil,
                permanent: form["bezterminowe-tak"] == "tak"),
            declaredNeeds: Needs(activities: activities, hoursPerMonth: hours), supportNeeds: supportNeeds, documents: documents)
        let answer = try await services.send(.POST, .intake, "/applications", json: try JSONEncoder().encode(application), as: account)
        switch answer.status {
        case .created:
            let created = try EventCodec.foundationDecoder.decode(ServiceRecords.Application.self, from: answer.body)
            return .redirect(to: "/wnioski/\(created.id.urlComponentEncoded)?wynik=przyjeto", type: .normal)
        case .conflict:
            let existing = ServiceRecords.Refusal(answer.body).details["applicationID"] ?? ""
            return .redirect(to: "/wnioski/\(existing.urlComponentEncoded)?wynik=juz-jest", type: .normal)
        case .unprocessableEntity, .badRequest:
            let refusal = ServiceRecords.Refusal(answer.body)
            let problems =
                refusal.fields.isEmpty
                ? [FieldError(field: "imie", message: "Intake nie przyjął wniosku: \(refusal.message)")] : refusal.fields.map(Self.fieldError)
            return self.form(context, values: refill, errors: problems + Self.reattach(context, besides: problems), status: .unprocessableContent)
        default:
            throw ServiceCallFailure.answered(.intake, answer.status.code)
        }
    }

    /// A browser never sends a file again: after a refusal, each attached scan not refused itself must be chosen once more.
    private static func reattach(_ context: PortalRequestContext, besides errors: [FieldError]) -> [FieldError] {
        scans.filter { scan in context.files[scan.field] != nil && !errors.contains { $0.field == scan.field } }.map {
            FieldError(field: $0.field, message: "Wybierz ten plik jeszcze raz: przeglądarka nie zachowuje plików po odesłaniu formularza.")
        }
    }

    /// intake's field path as this form's field, with the rule in Polish.
    static func fieldError(_ problem: ServiceRecords.Refusal.FieldProblem) -> FieldError {
        let path = problem.field
        let field: (String, String) =
            switch path {
            case "edition": ("edycja", "Nie ma takiej edycji programu. Wpisz jej rok.")
            case "person.firstName": ("imie", "Wpisz imię: do 100 znaków, bez znaków sterujących.")
            case "person.lastName": ("nazwisko", "Wpisz nazwisko: do 100 znaków, bez znaków sterujących.")
            case "person.pesel": ("pesel", "Ten PESEL jest błędny: sprawdź cyfry (ostatnia jest cyfrą kontrolną).")
            case "person.birthDate": ("urodzenie", "Data urodzenia musi się zgadzać z numerem PESEL i nie może być w przyszłości.")
            case "person.address.street": ("ulica", "Wpisz ulicę i numer domu.")
            case "person.address.postalCode": ("kod", "Wpisz kod pocztowy miasta objętego programem, na przykład 50-001.")
            case "person.address.city": ("miasto", "Program obejmuje mieszkańców jednego miasta: wpisz miejscowość z orzeczenia i meldunku.")
            case let path where path.hasPrefix("person.contact"): ("telefon", "Podaj telefon (9 do 15 cyfr) albo poprawny adres e-mail.")
            case let path where path.hasPrefix("guardian"):
                ("opiekun-imie", "Osoba ubezwłasnowolniona: wpisz imię, nazwisko i telefon albo e-mail opiekuna prawnego.")
            case "certificate.issuedOn": ("wydane", "Data wydania nie może być w przyszłości ani przed datą urodzenia.")
            case "certificate.validUntil":
                ("wazne", "Wpisz datę ważności (nie wcześniejszą niż data wydania) albo zaznacz, że orzeczenie jest bezterminowe.")
            case "certificate.permanent": ("bezterminowe", "Orzeczenie bezterminowe nie ma daty ważności: usuń ją albo odznacz „bezterminowe”.")
            case "certificate.degree": ("stopien", "Orzeczenie o stopniu i równoważne podają stopień; orzeczenie dziecka go nie ma.")
            case "declaredNeeds.activities": ("czynnosci", "Zaznacz co najmniej jedną czynność.")
            case "declaredNeeds.hoursPerMonth": ("godziny", "Wpisz liczbę godzin miesięcznie od 1 do 744.")
            case "documents": ("skan-postanowienia", "Osoba ubezwłasnowolniona: dołącz postanowienie sądu i dokument ustanowienia opiekuna prawnego.")
            case "supportNeeds": ("punkty", "Do skanu oceny poziomu potrzeby wsparcia wpisz jej wynik: punkty, datę i kto ją wydał.")
            case "supportNeeds.score": ("punkty", "Wpisz liczbę punktów z oceny: całą liczbę od 0 do 100.")
            case "supportNeeds.assessedOn": ("ocena-data", "Data oceny nie może być w przyszłości.")
            case "supportNeeds.issuedBy": ("ocena-organ", "Wpisz, kto wydał ocenę: do 100 znaków, bez znaków sterujących.")
            default: ("imie", "Popraw wniosek: \(problem.field) — \(problem.message)")
            }
        return FieldError(field: field.0, message: field.1)
    }

    // MARK: - One application

    struct DocumentRow: Sendable {
        var kind: String
        var size: String
    }

    struct ApplicationPage: Sendable {
        var id: String
        var participantID: String
        var edition: String
        var status: String
        var submittedOn: String
        var documents: [DocumentRow]
        var decision: String?
        var decisionLink: String?
        var action: String
    }

    static let documentFields = [
        Field(
            "rodzaj-dokumentu", label: "Rodzaj dokumentu", type: "select",
            options: scans.map { Field.Option(value: $0.kind, label: documentLabel($0.kind)) }),
        Field("plik", label: "Skan", hint: scanHint, type: "file"),
    ]

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let notice: String? =
            switch request.uri.queryParameters["wynik"] {
            case "przyjeto": "Wniosek przyjęty. System wyda decyzję w ciągu kilku sekund; operator MOPS ją sprawdzi."
            case "juz-jest": "Ta osoba złożyła już wniosek w tej edycji. To jest ten wniosek; uzupełnij go zamiast składać nowy."
            case "dodano": "Dokument dołączony. System wyda decyzję na nowo."
            default: nil
            }
        return try await applicationPage(context, account: account, id: try context.parameters.require("id"), notice: notice)
    }

    private func applicationPage(
        _ context: PortalRequestContext, account: Account, id: String, notice: String? = nil, errors: [FieldError] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let answer = try await services.send(.GET, .intake, "/applications/\(id.urlComponentEncoded)", as: account)
        guard answer.status == .ok else { throw PortalDenial.notFound }
        let application = try EventCodec.foundationDecoder.decode(ServiceRecords.Application.self, from: answer.body)
        let decisions = try await services.get(
            ServiceRecords.Decisions.self, from: .eligibility, "/decisions?applicationID=\(id.urlComponentEncoded)", as: account)
        let decision = decisions.decisions.first
        let content = ApplicationPage(
            id: application.id, participantID: application.participantID, edition: application.edition,
            status: application.status == "withdrawn" ? "wycofany" : "złożony", submittedOn: PolishText.day(application.submittedOn),
            documents: application.documents.map { document in
                DocumentRow(
                    kind: Self.documentLabel(document.kind).capitalizedFirst,
                    size: document.isReference ? "odnośnik" : document.sizeBytes.map { "\(max($0 / 1024, 1)) KB" } ?? "—")
            },
            decision: decision.map { decision in
                decision.outcome == .waitingForDocuments
                    ? "Czeka na dokumenty: " + decision.missingDocuments.map(Self.documentLabel).joined(separator: ", ")
                        + ". Dołącz je poniżej, a system wyda decyzję na nowo."
                    : Labels.outcome(decision.outcome).capitalizedFirst + ", " + Labels.review(decision.review)
                        + (decision.reasons.isEmpty ? "" : ": " + decision.reasons.map(Labels.reason).joined(separator: "; "))
            },
            decisionLink: decision.map { "/decyzje/\($0.id.urlComponentEncoded)" }, action: "/wnioski/\(id.urlComponentEncoded)/dokumenty")
        return pages.render(
            "application", title: "Wniosek \(application.id)", context: context, content: content, fields: Self.documentFields, errors: errors,
            notice: notice, status: status, path: "/wnioski/nowy")
    }

    @Sendable func addDocument(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let id = try context.parameters.require("id")
        let kind = context.form["rodzaj-dokumentu"]
        var errors: [FieldError] = []
        if !Self.scans.contains(where: { $0.kind == kind }) {
            errors.append(FieldError(field: "rodzaj-dokumentu", message: "Wybierz rodzaj dokumentu."))
        }
        var document: Document?
        switch context.files["plik"].map({ Self.document($0, kind: kind) }) {
        case let .success(valid)?: document = valid
        case let .failure(refusal)?: errors.append(FieldError(field: "plik", message: refusal.message))
        case nil: errors.append(FieldError(field: "plik", message: "Wybierz plik ze skanem dokumentu."))
        }
        guard errors.isEmpty, let document else {
            return try await applicationPage(context, account: account, id: id, errors: errors, status: .unprocessableContent)
        }
        let answer = try await services.send(
            .POST, .intake, "/applications/\(id.urlComponentEncoded)/documents", json: try JSONEncoder().encode(document), as: account)
        switch answer.status {
        case .created: return .redirect(to: "/wnioski/\(id.urlComponentEncoded)?wynik=dodano", type: .normal)
        case .notFound: throw PortalDenial.notFound
        default:
            let refusal = ServiceRecords.Refusal(answer.body)
            return try await applicationPage(
                context, account: account, id: id,
                errors: [FieldError(field: "plik", message: "Intake nie przyjął dokumentu (\(refusal.code)). Sprawdź plik i spróbuj ponownie.")],
                status: .unprocessableContent)
        }
    }
}
