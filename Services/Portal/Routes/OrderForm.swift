import Domain
import Foundation
import Hummingbird

/// The one order form, whoever fills it in: a participant (or guardian) ordering
/// for themselves, or MOPS ordering for a participant. The same fields, the same
/// checks before ordering sees the order and the same refusals next to the field
/// they concern; only the words differ, "you" for the participant and "the
/// participant" for MOPS.
struct OrderForm: Sendable {
    enum Orderer: Sendable { case participant, staff }

    let orderer: Orderer

    var fields: [Field] {
        [
            Field("data", label: "Dzień", hint: "Na przykład 10.05.2022.", autocomplete: "off"),
            Field("od", label: "Od godziny", hint: "Na przykład 09:00.", autocomplete: "off"),
            Field(
                "do", label: "Do godziny", hint: "Na przykład 11:30. Jeśli wizyta kończy się po północy, wpisz godzinę następnego dnia.",
                autocomplete: "off"),
            Field(
                "rodzaj", label: "W czym asystent ma pomóc", type: "select",
                options: ActivityCategory.allCases.map { Field.Option(value: $0.rawValue, label: Labels.activity($0)) }),
            Field(
                "miejsce", label: "Miejsce spotkania z asystentem", hint: "Adres, na przykład ul. Legnicka 12, Wrocław.",
                autocomplete: orderer == .participant ? "street-address" : "off"),
            Field(
                "potrzeby",
                label: orderer == .participant
                    ? "Czego potrzebujesz od asystenta (jeśli czegoś szczególnego)"
                    : "Czego uczestnik potrzebuje od asystenta (jeśli czegoś szczególnego)",
                type: "checkbox", options: Skill.allCases.map { Field.Option(value: $0.rawValue, label: Labels.skill($0)) }),
        ]
    }

    /// The assistants who served the participant before (their orders' assistants,
    /// named from the portal's accounts), most visits first, to ask for one again.
    func preferredAssistant(_ orders: [ServiceRecords.Order], accounts: AccountStore) async throws -> Field {
        var served: [String: Int] = [:]
        for order in orders where order.status != "cancelled" { if let id = order.assistantID { served[id, default: 0] += 1 } }
        let names = try await accounts.names(assistants: Array(served.keys))
        return Field(
            "asystent",
            label: orderer == .participant
                ? "Asystent, który już u Ciebie był (nieobowiązkowe)" : "Asystent, który już był u uczestnika (nieobowiązkowe)",
            hint: orderer == .participant
                ? "Jeśli ta osoba będzie wtedy wolna, koordynator przydzieli ją w pierwszej kolejności."
                : "Jeśli ta osoba będzie wtedy wolna, podpowiedzi pokażą ją jako pierwszą.", type: "select",
            options: served.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { id, visits in
                Field.Option(value: id, label: "\(names[id].map(PolishText.firstName) ?? "asystent bez konta w Platformie") (wizyty: \(visits))")
            })
    }

    /// Places the order with ordering under `account`'s token: the placed order, or what
    /// to fix — the form's own checks first, then ordering's refusal, each next to its field.
    func place(
        _ form: FormFields, for participantID: String, as account: Account, services: ServiceClient
    ) async throws -> Result<ServiceRecords.Order, FieldErrors> {
        let body: Data
        switch self.body(form, participantID: participantID) {
        case .failure(let invalid): return .failure(invalid)
        case .success(let valid): body = valid
        }
        let answer = try await services.send(.POST, .ordering, "/orders", json: body, as: account)
        guard answer.status == .created else { return .failure(FieldErrors(errors: errors(ServiceRecords.Refusal(answer.body)))) }
        return .success(try JSONDecoder().decode(ServiceRecords.Order.self, from: answer.body))
    }

    /// The order as ordering's `POST /orders` takes it, or what to fix first.
    private func body(_ form: FormFields, participantID: String) -> Result<Data, FieldErrors> {
        var errors: [FieldError] = []
        let day = PolishInput.day(form["data"])
        let start = PolishInput.time(form["od"])
        let end = PolishInput.time(form["do"])
        if day == nil { errors.append(FieldError(field: "data", message: "Wpisz dzień wizyty, na przykład 10.05.2022.")) }
        if start == nil { errors.append(FieldError(field: "od", message: "Wpisz, od której godziny, na przykład 09:00.")) }
        if end == nil { errors.append(FieldError(field: "do", message: "Wpisz, do której godziny, na przykład 11:30.")) }
        if ActivityCategory(rawValue: form["rodzaj"]) == nil {
            errors.append(FieldError(field: "rodzaj", message: "Wybierz, w czym asystent ma pomóc."))
        }
        if form["miejsce"].isEmpty { errors.append(FieldError(field: "miejsce", message: "Wpisz, gdzie asystent ma przyjść.")) }
        guard errors.isEmpty, let day, let start, let end else { return .failure(FieldErrors(errors: errors)) }
        var body: [String: Any] = [
            "participantID": participantID, "date": day, "start": start, "end": end, "activity": form["rodzaj"], "place": form["miejsce"],
            "requiredSkills": Skill.allCases.filter { form["potrzeby-" + $0.rawValue] == "tak" }.map(\.rawValue),
        ]
        if !form["asystent"].isEmpty { body["preferredAssistantID"] = form["asystent"] }
        return .success((try? JSONSerialization.data(withJSONObject: body)) ?? Data())
    }

    /// Ordering's refusal, next to the field it concerns.
    private func errors(_ refusal: ServiceRecords.Refusal) -> [FieldError] {
        let fieldNames = ["date": "data", "start": "od", "end": "do", "activity": "rodzaj", "place": "miejsce", "requiredSkills": "potrzeby"]
        let you = orderer == .participant
        switch refusal.code {
        case "no-grant":
            return [
                FieldError(
                    field: "data",
                    message: you
                        ? "Nie masz przyznanej usługi asystencji. Zapytaj w MOPS o decyzję."
                        : "Uczestnik nie ma przyznanej usługi asystencji. Sprawdź decyzję w sprawie jego wniosku.")
            ]
        case "outside-grant-period":
            return [FieldError(field: "data", message: "Ten dzień jest poza okresem, na który przyznano usługę. Wybierz dzień z tego okresu.")]
        case "allowance-exceeded":
            return [
                FieldError(
                    field: "do",
                    message: you
                        ? "Zostało Ci za mało godzin na tak długą wizytę. Skróć ją; ile godzin zostało, widać na stronie głównej."
                        : "Uczestnikowi zostało za mało godzin na tak długą wizytę. Skróć ją; ile godzin zostało, widać na stronie uczestnika.")
            ]
        case "monthly-budget-exceeded":
            return [
                FieldError(
                    field: "do",
                    message: (you ? "W tym miesiącu zostało Ci" : "W tym miesiącu uczestnikowi zostało")
                        + " za mało godzin (razem z przeniesionymi z poprzednich miesięcy) na tak długą wizytę. Skróć ją albo wybierz dzień w innym miesiącu."
                )
            ]
        case "preferred-assistant-unknown":
            return [
                FieldError(
                    field: "asystent", message: "Wybierz asystenta z listy: tylko kogoś, kto już " + (you ? "u Ciebie był." : "był u uczestnika."))
            ]
        case "invalid-input":
            let errors = refusal.fields.compactMap { field -> FieldError? in
                guard let name = fieldNames[String(field.field.prefix { $0 != "[" && $0 != "." })] else { return nil }
                return FieldError(field: name, message: "Sprawdź to pole: wartość jest nieprawidłowa.")
            }
            return errors.isEmpty ? [FieldError(field: "data", message: "Sprawdź dzień i godziny wizyty.")] : errors
        default: return [FieldError(field: "data", message: "Nie udało się przyjąć zamówienia. Sprawdź dane i spróbuj ponownie.")]
        }
    }

    /// What the form page says around the fields.
    struct Page: Sendable {
        var heading: String
        var intro: String
        var action: String
        var back: String
        var backLabel: String
        var mayPrefer: Bool
    }
}

/// A form's field errors, as a `Result`'s failure.
struct FieldErrors: Error {
    var errors: [FieldError]
}
