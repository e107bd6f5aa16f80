import Domain

/// How delivered hours and reported expenses become money. The same text is in
/// CANVAS.md and in every export's notes ("Uwagi").
enum Costing {
    /// The rate an hour is settled at: the provider's contracted rate, but never
    /// more than the edition's hourly rate cap.
    static func settlementRate(contracted: Money, cap: Money) -> Money {
        min(contracted, cap)
    }

    /// One entry's cost: minutes / 60 × settlement rate, rounded half up to the
    /// grosz for each entry (`Money.forMinutes`); costs of a month are sums of these.
    static func entryCost(minutes: Int, contracted: Money, cap: Money) -> Money {
        settlementRate(contracted: contracted, cap: cap).forMinutes(minutes)
    }

    /// What the programme covers of one assistant's expenses in one month: each kind
    /// summed over the month's entries, then capped by the edition's monthly cap.
    static func covered(_ reported: Expenses, caps: ExpenseCaps) -> Expenses {
        Expenses(
            travel: min(max(reported.travel, .zero), caps.travelPerMonth),
            tickets: min(max(reported.tickets, .zero), caps.ticketsPerMonth),
            protectiveEquipment: min(max(reported.protectiveEquipment, .zero), caps.protectiveEquipmentPerMonth)
        )
    }

    /// Splits spending between the two funding sources in the plan's proportion:
    /// the ministry's share is rounded half up to the grosz, the municipality's is the rest.
    static func split(_ spent: Money, by budget: Budget) -> (ministry: Money, municipal: Money) {
        let total = budget.total.grosze
        guard total > 0 else { return (.zero, spent) }
        let ministry = divideRoundingHalfUp(spent.grosze * budget.ministryGrant.grosze, by: total)
        return (Money(grosze: ministry), Money(grosze: spent.grosze - ministry))
    }

    /// `part / whole` as a percentage in hundredths (45.2 % is 4520), rounded half up.
    static func percent(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole != 0 else { return nil }
        return divideRoundingHalfUp(part * 10_000, by: whole)
    }

    /// Minutes as hours in hundredths (90 minutes is 150), rounded half up.
    static func centihours(minutes: Int64) -> Int64 {
        divideRoundingHalfUp(minutes * 100, by: 60)
    }

    /// An average in hundredths (4.25 is 425), rounded half up.
    static func average(sum: Int64, count: Int64) -> Int64? {
        guard count > 0 else { return nil }
        return divideRoundingHalfUp(sum * 100, by: count)
    }

    /// Integer division rounding halves away from zero.
    static func divideRoundingHalfUp(_ numerator: Int64, by denominator: Int64) -> Int64 {
        precondition(denominator > 0)
        let magnitude = (numerator.magnitude * 2 + denominator.magnitude) / (denominator.magnitude * 2)
        return numerator < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    /// How a participant's granted hours come about (eligibility's `HoursBasis`), with
    /// this edition's caps: why a child's grant can be 240 h when the cap is 360 h a year.
    static func grantNote(caps: HourCaps, monthlyLimit: Int?) -> String {
        let limit = monthlyLimit.map { ", miesięczny limit edycji (\($0) h) × liczba miesięcy" } ?? ""
        return "Godziny przyznane uczestnikowi = najmniejsza z liczb: roczny limit grupy × liczba miesięcy / 12 (zaokrąglone w dół), "
            + "zadeklarowana potrzeba miesięczna × liczba miesięcy\(limit); liczba miesięcy to miesiące kalendarzowe, w które wchodzi okres przyznania "
            + "(od maja do grudnia: 8, więc przy limicie 360 h rocznie najwyżej 240 h). Roczne limity edycji: dzieci \(caps.child) h, "
            + "stopień znaczny \(caps.significant) h (z niepełnosprawnością sprzężoną \(caps.significantMultiple) h), "
            + "stopień umiarkowany \(caps.moderate) h (z niepełnosprawnością sprzężoną \(caps.moderateMultiple) h)."
    }

    static let formulaNotes: [String] = [
        "Koszt godzin = suma po wpisach: minuty / 60 × min(stawka godzinowa z umowy organizacji, maksymalna stawka edycji), zaokrąglone do grosza (połówki w górę) dla każdego wpisu.",
        "Koszty asystenta (dojazdy, bilety, środki ochrony) = dla każdego asystenta i miesiąca suma zgłoszonych kwot danego rodzaju, ograniczona miesięcznym limitem edycji.",
        "Podział wykonania: część dotacji MRiPS = wykonanie × dotacja / (dotacja + wkład Gminy), zaokrąglona do grosza; wkład Gminy = reszta.",
        "Miesiąc zamknięty jest zamrożony: późniejsze korekty i anulowania wpisów z tego miesiąca są wykazywane w tabeli Korekty w pierwszym miesiącu po zmienionym, który w chwili zmiany był jeszcze otwarty.",
        "Wykonanie budżetu i liczba godzin w Realizacji celów obejmują korekty wykazane w okresie raportu.",
        "Raport zawiera wyłącznie dane zbiorcze: bez imion, nazwisk, numerów PESEL i adresów.",
    ]
}
