import Domain

/// The programme's words in plain Polish, as the glossary has them: what a
/// page shows for an activity, a need, an order's state.
enum Labels {
    static func activity(_ activity: ActivityCategory) -> String {
        switch activity {
        case .selfCare: "czynności samoobsługowe"
        case .mobility: "wyjście, dojazd, przemieszczanie się"
        case .errands: "sprawy urzędowe i zakupy"
        case .workOrSchool: "praca lub nauka"
        case .culture: "kultura"
        case .sport: "sport i rekreacja"
        case .socialLife: "spotkania i życie towarzyskie"
        case .healthcare: "wizyta u lekarza, rehabilitacja"
        }
    }

    /// An activity code as a service sends it; an unknown one as it came.
    static func activity(_ code: String) -> String {
        ActivityCategory(rawValue: code).map(activity) ?? code
    }

    /// Who delivers a visit: "Katarzyna z organizacji Fundacja Promyk Słońca" when the
    /// portal knows the assistant's name, else "asystent z organizacji …".
    static func deliveredBy(assistant name: String?, provider: String) -> String {
        "\(name.map(PolishText.firstName) ?? "asystent") z organizacji \(provider)"
    }

    static func contestReason(_ code: String) -> String {
        switch code {
        case "absent": "asystent nie przyszedł"
        case "shorter": "wizyta była krótsza"
        case "different-person": "przyszła inna osoba"
        default: "inny powód"
        }
    }

    /// Where a visit of the monthly card stands.
    static func cardState(confirmed: Bool, contest: ServiceRecords.Contest?) -> String {
        switch (confirmed, contest?.outcome) {
        case (_, "stands"): "MOPS uznał wizytę za zrealizowaną"
        case (true, _): "potwierdzona"
        case (false, _) where contest != nil: "zgłoszono zastrzeżenie: \(contestReason(contest!.reason))"
        default: "do potwierdzenia"
        }
    }

    /// reporting's kinds of late change to a closed month.
    static func lateChange(_ kind: String) -> String {
        switch kind {
        case "accounted": "wizyta rozliczona po zamknięciu"
        case "corrected": "poprawiony wpis"
        case "voided": "unieważniony wpis"
        default: kind
        }
    }

    /// Monday first, as ordering numbers weekdays (1 Monday … 7 Sunday).
    static let weekdays = ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"]

    /// An assistant's weekly availability: "poniedziałek 07:00–15:00; środa 12:00–20:00", or that there is none.
    static func availability(_ slots: [ServiceRecords.Assistant.Slot]) -> String {
        let text = slots.sorted { ($0.weekday, $0.from) < ($1.weekday, $1.from) }.map { "\(weekdays[$0.weekday - 1]) \($0.from)–\($0.to)" }
        return text.isEmpty ? "brak: nie można przydzielać wizyt" : text.joined(separator: "; ")
    }

    /// Skill codes as a service sends them, in words: "pierwsza pomoc, pomoc przy wózku"; `none` when there are none.
    static func skills(_ codes: [String], none: String = "—") -> String {
        codes.isEmpty ? none : codes.map { Skill(rawValue: $0).map(skill) ?? $0 }.joined(separator: ", ")
    }

    /// A qualification of the register of assistants.
    static func qualification(_ kind: QualificationKind) -> String {
        switch kind {
        case .assistantCourse: "szkolenie dla asystentów osobistych"
        case .firstAid: "kurs pierwszej pomocy"
        case .evacuation: "szkolenie z ewakuacji osób z niepełnosprawnościami"
        case .noCriminalRecordStatement: "oświadczenie o niekaralności"
        }
    }

    static func skill(_ skill: Skill) -> String {
        switch skill {
        case .signLanguage: "znajomość polskiego języka migowego"
        case .guidingBlind: "przewodnik osoby niewidomej"
        case .wheelchair: "pomoc przy wózku"
        case .driving: "asystent z prawem jazdy"
        case .childCare: "opieka nad dzieckiem"
        case .firstAid: "pierwsza pomoc"
        }
    }

    static func orderStatus(_ status: String, delivered: Bool) -> String {
        switch status {
        case "placed": "czeka na przydzielenie asystenta"
        case "assigned": delivered ? "zrealizowana" : "asystent przydzielony"
        case "cancelled": "anulowana"
        default: status
        }
    }
}

extension Labels {
    /// Why timesheet refused a visit, and what to do: for the assistant who recorded it and their NGO alike.
    static func rejection(_ code: String, message: String) -> String {
        switch code {
        case "outside-order-time":
            "Odrzucona: godziny wizyty wychodzą poza zamówienie. Popraw początek lub koniec albo poproś koordynatora o zmianę zamówienia."
        case "assistant-overlap": "Odrzucona: asystent ma w tym czasie inną zapisaną wizytę. Sprawdź godziny."
        case "participant-overlap": "Odrzucona: uczestnik ma w tym czasie inną zapisaną wizytę. Sprawdź godziny."
        case "assistant-daily-limit":
            "Odrzucona: w ciągu 24 godzin asystent może pracować najwyżej tyle, ile pozwala program. Sprawdź godziny lub zapytaj koordynatora."
        case "assistant-not-qualified":
            "Odrzucona: w rejestrze asystentów brakuje kwalifikacji, których ustawa wymaga w dniu wizyty. Organizacja wpisuje ją w rejestrze, potem wysyła wpis ponownie."
        case "qualification-expired":
            "Odrzucona: kwalifikacja asystenta wygasła przed końcem wizyty. Organizacja wpisuje jej odnowienie w rejestrze, potem wysyła wpis ponownie."
        case "allowance-exceeded": "Odrzucona: uczestnikowi zabrakło przyznanych godzin. Skontaktuj się z koordynatorem w MOPS."
        case "month-closed": "Odrzucona: ten miesiąc jest już zamknięty. Zmianę może zgłosić koordynator organizacji z uzasadnieniem."
        case "outside-edition": "Odrzucona: ten dzień jest poza okresem programu albo poza okresem przyznania usługi."
        case "order-not-assigned-to-sender", "unknown-order":
            "Odrzucona: to zamówienie nie jest przydzielone temu asystentowi. Sprawdź przydział u koordynatora."
        case "entry-voided": "Odrzucona: ten wpis jest już anulowany."
        case "stale-sequence": "Odrzucona: przyszła już nowsza wersja tego wpisu."
        default: "Odrzucona (\(code)): \(message)"
        }
    }
}

extension Labels {
    /// A decision's outcome, as the clerk's queue says it.
    static func outcome(_ outcome: DecisionOutcome) -> String {
        switch outcome {
        case .granted: "przyznanie usługi"
        case .rejected: "odmowa"
        case .waitingForDocuments: "czeka na dokumenty"
        }
    }

    /// The group of a grant, as the ministry's report counts them.
    static func group(_ category: ParticipantGroup.Category) -> String {
        switch category {
        case .child: "dziecko z orzeczeniem o niepełnosprawności"
        case .adultSignificant: "dorosły, stopień znaczny"
        case .adultModerate: "dorosły, stopień umiarkowany"
        }
    }

    static func group(_ group: ParticipantGroup) -> String {
        self.group(group.category) + (group.multipleDisabilities ? ", niepełnosprawność sprzężona" : "")
    }

    /// Why eligibility refused, in the words a refusal letter uses.
    static func reason(_ reason: RejectionReason) -> String {
        switch reason {
        case .notResident: "osoba nie mieszka na terenie objętym programem"
        case .certificateKindNotAccepted: "ten rodzaj orzeczenia nie uprawnia do usługi"
        case .degreeNotAccepted: "stopień niepełnosprawności nie uprawnia do usługi"
        case .childWithoutBothIndications: "orzeczenie dziecka nie ma obu wskazań (7 i 8)"
        case .certificateExpired: "orzeczenie straciło ważność"
        case .tooOldForChildCertificate: "osoba przekroczyła wiek, do którego program przyjmuje orzeczenie dziecka"
        case .tooYoung: "dziecko jest młodsze, niż przewiduje program"
        case .missingGuardianshipDocuments: "brak dokumentów opiekuna prawnego"
        case .outsideEdition: "edycja programu już się skończyła"
        case .overriddenByOperator: "decyzja operatora MOPS"
        case .outsideAgeBand: "wiek osoby jest poza przedziałem, który przewiduje ustawa (13–65 lat)"
        case .supportScoreTooLow: "poziom potrzeby wsparcia jest niższy, niż wymaga ustawa"
        }
    }

    /// Who settled a decision.
    static func review(_ review: DecisionReview) -> String {
        switch review {
        case .automatic: "czeka na sprawdzenie przez operatora"
        case .confirmed: "zatwierdzona przez operatora"
        case .overridden: "zmieniona przez operatora"
        }
    }

    /// A line of a decision's audit trail.
    static func auditAction(_ action: String) -> String {
        switch action {
        case "confirmed": "zatwierdzenie"
        case "overridden": "zmiana decyzji"
        case "revoked": "cofnięcie przyznania"
        case "withdrawn": "wycofanie wniosku"
        default: action
        }
    }
}

extension Labels {
    /// Why ordering suggests an assistant, first: continuity with the participant.
    static func continuity(_ continuity: String, earlierServices: Int) -> String {
        switch continuity {
        case "preferred": "Uczestnik prosił o tego asystenta."
        case "same-assistant": "Był już u uczestnika (wizyty: \(earlierServices))."
        case "same-provider": "Jego organizacja obsługiwała już uczestnika (wizyty: \(earlierServices))."
        default: "Ma wymagane umiejętności i jest wolny w tym czasie."
        }
    }

    /// Ordering's refusal to cancel, for whoever asked (only a participant meets the notice period).
    static func cancellationRefusal(_ refusal: ServiceRecords.Refusal) -> String {
        switch refusal.code {
        case "order-delivered": "Tej wizyty nie można już anulować: została zrealizowana."
        case "cancellation-too-late":
            "Na anulowanie przez Platformę jest już za późno: minął termin podany przy zamówieniu. Zadzwoń do koordynatora w MOPS albo w organizacji."
        default: "Tego zamówienia nie można anulować (\(refusal.message))."
        }
    }

    /// Why ordering refused an assignment, and what to do.
    static func assignmentRefusal(_ code: String) -> String {
        switch code {
        case "assistant-booked": "Ten asystent ma już w tym czasie inną wizytę. Wybierz innego z listy."
        case "already-assigned": "To zamówienie ma już asystenta: ktoś przydzielił go przed chwilą."
        case "order-cancelled": "To zamówienie zostało anulowane."
        case "missing-skills": "Ten asystent nie ma umiejętności, których wymaga zamówienie."
        case "assistant-excluded": "Tego asystenta wyklucza pokrewieństwo albo wspólne gospodarstwo z uczestnikiem."
        case "assistant-unavailable": "Ten asystent nie pracuje w tych godzinach."
        case "assistant-daily-limit": "Ten asystent przekroczyłby dopuszczalny czas pracy w ciągu 24 godzin."
        case "assistant-related": "Według ustawy asystentem nie może być krewny uczestnika. Wybierz innego asystenta."
        case "assistant-not-qualified":
            "W rejestrze asystentów brakuje kwalifikacji, których wymaga ustawa (szkolenie, pierwsza pomoc, ewakuacja, oświadczenie o niekaralności). Organizacja musi je wpisać."
        case "qualification-expired": "Kwalifikacja tego asystenta wygasa przed wizytą. Organizacja musi wpisać jej odnowienie."
        default: "Nie można przydzielić tego asystenta (\(code)). Wybierz innego z listy."
        }
    }
}
