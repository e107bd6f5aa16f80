import Domain

/// A statutory grant's budget: `hoursPerMonth` every month of the period, the unused
/// hours carried to the next month while `carryOver` (ordering keeps the months), and
/// for an automatic grant how the figure was reached, in Polish.
struct MonthlyBudget: Hashable, Codable, Sendable {
    var hoursPerMonth: Int
    var carryOver: Bool
    /// "zadeklarowana potrzeba 150 h miesięcznie; ustawa: od 20 do 200 h (dorosły, 2027); przyznano 150 h miesięcznie";
    /// nil for an operator's override.
    var explanation: String?
}

extension EligibilityRules {
    /// Decides an application under a statutory scheme (`EditionRules.statute`).
    ///
    /// - Rejected, with every reason that applies: the programme's common reasons
    ///   (`commonReasons`); an age on the grant's first day outside both bands (youth:
    ///   the edition's `childAgeBand`, 13–18; adults: `adultAgeBand`, 18–65);
    ///   a youth without a child's certificate carrying indications 7 and 8 or a
    ///   significant degree; an adult without an accepted degree, or whose
    ///   support-needs score is below the threshold in force on the first day.
    /// - Otherwise waiting for documents while the certificate copy, the form or, for
    ///   an adult, the support-needs assessment (its document and its score) is missing.
    /// - Otherwise granted a monthly budget: the declared need held between the
    ///   scheme's minimum and the maximum for the person's band in force on the first
    ///   day; for at most `decisionValidityMonths`, and not past the certificate, the
    ///   scheme's period or the day before the person leaves their band.
    static func decide(_ facts: ApplicationFacts, edition: EditionRules, statute: StatuteRules, on today: CalendarDate) -> Verdict {
        var reasons = commonReasons(facts, edition: edition, on: today)
        let certificate = facts.certificate
        let start = max(today, edition.period.start)
        let age = facts.age.years(on: max(start, facts.age.on))
        let youth = edition.childAgeBand
        let adult = statute.adultAgeBand
        let band: AgeBand?
        var required = DocumentKind.alwaysRequired
        if (youth.minimumAge..<youth.maximumAge).contains(age) {
            band = youth
            if certificate.kind == .childDisability {
                if !certificate.indications.both { reasons.insert(.childWithoutBothIndications) }
            } else if certificate.degree != .significant {
                reasons.insert(.degreeNotAccepted)
            }
        } else if (adult.minimumAge..<adult.maximumAge).contains(age) {
            band = adult
            if certificate.kind == .childDisability { reasons.insert(.tooOldForChildCertificate) }
            if certificate.degree.map(edition.acceptedDegrees.contains) != true { reasons.insert(.degreeNotAccepted) }
            if let score = facts.supportNeeds?.score, score < statute.minimumSupportScore.value(on: start) {
                reasons.insert(.supportScoreTooLow)
            }
            required.append(.supportNeedsAssessment)
        } else {
            band = nil
            reasons.insert(.outsideAgeBand)
        }
        // The assessment's scan counts only with the score it states.
        var documented = facts
        if facts.supportNeeds == nil { documented.documents.remove(.supportNeedsAssessment) }
        if let refused = refusal(reasons, missing: required, documented) { return refused }

        // Reached only inside a band, with a child's certificate or an accepted degree.
        let group = group(of: certificate.kind == .childDisability || band == adult ? certificate : youthAsChild(certificate))!
        let lastDayInBand = facts.age.birthday(turning: band!.maximumAge).adding(days: -1)
        let end = [
            start.adding(months: statute.decisionValidityMonths).adding(days: -1), edition.period.end, lastDayInBand,
            certificate.validUntil ?? edition.period.end,
        ].min()!
        let period = DateRange(start: start, end: end)
        let maximum = band == adult ? statute.monthlyHours.adultMaximum.value(on: start) : statute.monthlyHours.youthMaximum
        let minimum = statute.monthlyHours.minimum
        let hoursPerMonth = min(max(facts.declaredNeeds.hoursPerMonth, minimum), maximum)
        let who = band == adult ? "dorosły" : "osoba w wieku \(youth.minimumAge)–\(youth.maximumAge) lat"
        let budget = MonthlyBudget(
            hoursPerMonth: hoursPerMonth, carryOver: statute.monthlyHours.carryOver,
            explanation: "zadeklarowana potrzeba \(facts.declaredNeeds.hoursPerMonth) h miesięcznie; ustawa: od \(minimum) do \(maximum) h (\(who)); "
                + "przyznano \(hoursPerMonth) h miesięcznie przez \(months(in: period)) mies."
                + (statute.monthlyHours.carryOver ? ", niewykorzystane godziny przechodzą na kolejne miesiące" : ""))
        return Verdict(
            outcome: .granted, reasons: [], missingDocuments: [], group: group, hours: hoursPerMonth * months(in: period), period: period,
            monthlyBudget: budget)
    }

    /// A youth with a degree certificate counts in the child group, as the programme's reports do.
    private static func youthAsChild(_ certificate: CertificateFacts) -> CertificateFacts {
        var child = certificate
        child.kind = .childDisability
        return child
    }
}
