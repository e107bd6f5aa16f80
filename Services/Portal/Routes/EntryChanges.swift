import Domain
import EventJSON
import Foundation
import Hummingbird
import NIOHTTP1
import ServiceRuntime

/// A timesheet entry as the pages of an assistant and of their NGO handle it: its
/// history and answer in words, the next version (a correction or a void) sent
/// through timesheet with the person's own token, and the wait for its answer, so
/// the page the person lands on after saving already has it.
struct EntryChanges: Sendable {
    let services: ServiceClient
    /// How long a save waits for timesheet's answer before showing the page anyway.
    var answerWait: Duration = .seconds(5)

    /// Timesheet's answer to an entry's newest version, in words.
    struct Answer: Sendable {
        var accepted: Bool
        var text: String
    }

    /// The fields of a correction (the day stays the entry's).
    static let correctionFields = [
        Field("od", label: "Początek", hint: "Na przykład 09:00.", autocomplete: "off"),
        Field("do", label: "Koniec", hint: "Na przykład 11:30.", autocomplete: "off"),
        Field(
            "rodzaj", label: "W czym pomoc", type: "select",
            options: ActivityCategory.allCases.map { Field.Option(value: $0.rawValue, label: Labels.activity($0)) }),
    ]

    /// The field of a void.
    static let voidField = Field(
        "uzasadnienie", label: "Dlaczego anulować", hint: "Na przykład: wizyta się nie odbyła. Zobaczy to uczestnik i MOPS.", type: "textarea")

    /// What a correction form starts with: the newest version's times and activity.
    static func values(of version: ServiceRecords.EntryHistory.Version) -> [String: String] {
        ["od": PolishText.time(version.start), "do": PolishText.time(version.end), "rodzaj": version.activity]
    }

    /// The entry's versions with their answers, oldest first; nil when `account` may not see it or it is not there.
    func history(_ entryID: String, of providerID: String, as account: Account) async throws -> ServiceRecords.EntryHistory? {
        let answer = try await services.send(
            .GET, .timesheet, "/providers/\(providerID.urlComponentEncoded)/entries/\(entryID.urlComponentEncoded)", as: account)
        guard answer.status == .ok else { return nil }
        return try? EventCodec.foundationDecoder.decode(ServiceRecords.EntryHistory.self, from: answer.body)
    }

    /// The newest version's answer; nil while it has none.
    static func answer(_ version: ServiceRecords.EntryHistory.Version) -> Answer? {
        switch version.outcome {
        case "accepted": Answer(accepted: true, text: "Przyjęta: \(PolishText.hours(version.minutes ?? 0)) zaliczone do godzin uczestnika.")
        case "voided": Answer(accepted: true, text: "Wpis anulowany: wizyta nie liczy się do godzin uczestnika.")
        case "rejected": Answer(accepted: false, text: Labels.rejection(version.code ?? "", message: version.message ?? ""))
        default: nil
        }
    }

    /// Waits until the entry has a version after `sequence` with its answer (or the wait is over).
    func waitForAnswer(_ entryID: String, of providerID: String, after sequence: Int, as account: Account) async throws {
        let deadline = ContinuousClock.now + answerWait
        while ContinuousClock.now < deadline {
            if let newest = try await history(entryID, of: providerID, as: account)?.versions.last, newest.sequence > sequence,
                Self.answer(newest) != nil
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends the next version the form asks for — `akcja` "popraw" (new times and
    /// activity, on the entry's day) or "anuluj" (with a reason) — and waits for its
    /// answer. Returns the refusals to show next to the fields; none when it was sent.
    func change(
        _ form: FormFields, entryID: String, of providerID: String, newest: ServiceRecords.EntryHistory.Version, as account: Account
    ) async throws -> [FieldError] {
        var body: [String: Any]
        if form["akcja"] == "anuluj" {
            guard !form["uzasadnienie"].isEmpty else {
                return [FieldError(field: "uzasadnienie", message: "Napisz, dlaczego wpis ma być anulowany.")]
            }
            body = ["action": "void", "reason": form["uzasadnienie"]]
        } else {
            let day = CalendarDate(newest.start).description
            let (start, end, errors) = VisitTimes.read(form, day: day)
            guard errors.isEmpty, let start, let end else { return errors }
            body = ["action": "submit", "start": Timestamp.format(start), "end": Timestamp.format(end), "activity": form["rodzaj"]]
        }
        let path = "/providers/\(providerID.urlComponentEncoded)/entries/\(entryID.urlComponentEncoded)/versions"
        let answer = try await services.send(.POST, .timesheet, path, json: try JSONSerialization.data(withJSONObject: body), as: account)
        switch answer.status {
        case .accepted:
            try await waitForAnswer(entryID, of: providerID, after: newest.sequence, as: account)
            return []
        case .notFound: throw PortalDenial.notFound
        default:
            let refusal = ServiceRecords.Refusal(answer.body)
            let message =
                switch refusal.code {
                case "change-pending": "Poprzednia zmiana czeka jeszcze na odpowiedź. Odśwież stronę za chwilę."
                case "month-closed": "Ten miesiąc jest już zamknięty. Zmianę może zgłosić koordynator organizacji z uzasadnieniem."
                default: "Nie udało się zapisać zmiany: \(refusal.message)"
                }
            return [FieldError(field: form["akcja"] == "anuluj" ? "uzasadnienie" : "od", message: message)]
        }
    }
}

/// The start and end of a visit as typed on a page ("9:00", "11.30") on a given
/// day; an end at or before the start is the next day's.
enum VisitTimes {
    static func read(_ form: FormFields, day: String) -> (start: Date?, end: Date?, errors: [FieldError]) {
        var errors: [FieldError] = []
        let start = PolishInput.time(form["od"]).flatMap { ProgrammeTime.instant(day: day, time: $0) }
        var end = PolishInput.time(form["do"]).flatMap { ProgrammeTime.instant(day: day, time: $0) }
        if start == nil { errors.append(FieldError(field: "od", message: "Wpisz godzinę początku, na przykład 09:00.")) }
        if end == nil { errors.append(FieldError(field: "do", message: "Wpisz godzinę końca, na przykład 11:30.")) }
        if let start, let ended = end, ended <= start { end = ended.addingTimeInterval(86400) }
        if ActivityCategory(rawValue: form["rodzaj"]) == nil { errors.append(FieldError(field: "rodzaj", message: "Wybierz, w czym była pomoc.")) }
        return (start, end, errors)
    }
}
