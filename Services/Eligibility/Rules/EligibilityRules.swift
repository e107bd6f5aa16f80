import Domain

/// The outcome of applying an edition's rules to one application.
struct Verdict: Hashable, Codable, Sendable {
    var outcome: DecisionOutcome
    /// Every reason that applies, sorted; empty unless rejected.
    var reasons: [RejectionReason]
    /// Sorted; empty unless waiting for documents.
    var missingDocuments: [DocumentKind]
    var group: ParticipantGroup?
    var hours: Int?
    var period: DateRange?
    /// How an automatic grant's hours were reached (cap, months, declared need); nil otherwise.
    var hoursBasis: HoursBasis?
    /// A statutory grant's budget each month; `hours` is then the budget over the period.
    var monthlyBudget: MonthlyBudget?

    static func rejected(_ reasons: [RejectionReason]) -> Verdict {
        Verdict(outcome: .rejected, reasons: reasons.sorted(), missingDocuments: [], group: nil, hours: nil, period: nil)
    }
}

/// The granted hours with what they come from, so a decision can say why a child's
/// grant is 240 h when the edition's cap is 360 h a year: the cap pro-rated to the
/// grant's months, the declared need over those months, and the edition's monthly
/// limit when it has one; the smallest is granted.
struct HoursBasis: Codable, Hashable, Sendable {
    enum Bound: String, Codable, Sendable {
        case annualCap = "annual-cap"
        case declaredNeed = "declared-need"
        case monthlyLimit = "monthly-limit"
    }

    /// The group's annual cap in the edition.
    var annualCap: Int
    /// Calendar months the grant's period touches, whole or started.
    var months: Int
    var declaredHoursPerMonth: Int
    var monthlyLimit: Int?

    /// annualCap × months / 12, rounded down.
    var capForPeriod: Int { annualCap * months / 12 }
    var declaredForPeriod: Int { declaredHoursPerMonth * months }
    var limitForPeriod: Int? { monthlyLimit.map { $0 * months } }

    /// Which of the three is the granted figure. Ties go to the cap, then the need:
    /// the figure is the same, the first rule named.
    var boundBy: Bound {
        if let limitForPeriod, limitForPeriod < min(capForPeriod, declaredForPeriod) { return .monthlyLimit }
        return declaredForPeriod < capForPeriod ? .declaredNeed : .annualCap
    }

    /// Only the inputs are read back; the rest is worked out from them.
    private enum CodingKeys: String, CodingKey { case annualCap, months, declaredHoursPerMonth, monthlyLimit }

    private enum Written: String, CodingKey {
        case annualCap, months, capForPeriod, declaredHoursPerMonth, declaredForPeriod, monthlyLimit, limitForPeriod, boundBy, hours, explanation
    }

    /// With every figure and the explanation, for whoever reads the decision.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Written.self)
        try container.encode(annualCap, forKey: .annualCap)
        try container.encode(months, forKey: .months)
        try container.encode(capForPeriod, forKey: .capForPeriod)
        try container.encode(declaredHoursPerMonth, forKey: .declaredHoursPerMonth)
        try container.encode(declaredForPeriod, forKey: .declaredForPeriod)
        try container.encodeIfPresent(monthlyLimit, forKey: .monthlyLimit)
        try container.encodeIfPresent(limitForPeriod, forKey: .limitForPeriod)
        try container.encode(boundBy, forKey: .boundBy)
        try container.encode(hours, forKey: .hours)
        try container.encode(explanation, forKey: .explanation)
    }

    /// The granted figure: the smallest of the three.
    var hours: Int { min(capForPeriod, declaredForPeriod, limitForPeriod ?? .max) }

    /// In Polish, for the clerk who reads the decision: "360 h rocznie × 8/12 miesięcy = 240 h;
    /// zadeklarowana potrzeba 40 h miesięcznie × 8 = 320 h; przyznano 240 h (roczny limit grupy)".
    var explanation: String {
        var parts = [
            "\(annualCap) h rocznie × \(months)/12 miesięcy = \(capForPeriod) h",
            "zadeklarowana potrzeba \(declaredHoursPerMonth) h miesięcznie × \(months) = \(declaredForPeriod) h",
        ]
        if let monthlyLimit, let limitForPeriod { parts.append("miesięczny limit edycji \(monthlyLimit) h × \(months) = \(limitForPeriod) h") }
        let bound =
            switch boundBy {
            case .annualCap: "roczny limit grupy"
            case .declaredNeed: "zadeklarowana potrzeba"
            case .monthlyLimit: "miesięczny limit edycji"
            }
        return parts.joined(separator: "; ") + "; przyznano \(hours) h (\(bound))"
    }
}

/// The programme's eligibility rules. Pure: the edition and the decision day
/// come in, a verdict goes out.
enum EligibilityRules {
    /// Decides an application on `today` under `edition`.
    ///
    /// - Rejected, with every reason that applies: not living in the programme's
    ///   area; decided after the edition ended; a certificate kind the edition does
    ///   not accept; an adult certificate (degree or equivalent) without an accepted
    ///   degree (mild, or none stated); a child's certificate without both
    ///   indications, or held by someone too young (`minimumAge`) or too old
    ///   (from the `maximumAge` birthday on); a certificate that ends before the
    ///   grant could start (`validUntil` before the edition's start or before
    ///   `today`); an incapacitated person without the court ruling and the proof of
    ///   guardianship (intake already refuses such an application, so this only
    ///   fires on a defective event — it is a rejection, as the programme lists it).
    /// - Otherwise waiting for documents while the certificate copy or the
    ///   application form is missing.
    /// - Otherwise granted: see `grantPeriod` and `grantedHours`.
    static func decide(_ facts: ApplicationFacts, edition: EditionRules, on today: CalendarDate) -> Verdict {
        if let statute = edition.statute { return decide(facts, edition: edition, statute: statute, on: today) }
        var reasons = commonReasons(facts, edition: edition, on: today)
        let certificate = facts.certificate
        let age = facts.age.years(on: max(today, facts.age.on))
        switch certificate.kind {
        case .childDisability:
            if !certificate.indications.both { reasons.insert(.childWithoutBothIndications) }
            if age >= edition.childAgeBand.maximumAge { reasons.insert(.tooOldForChildCertificate) }
            if age < edition.childAgeBand.minimumAge { reasons.insert(.tooYoung) }
        case .degree, .equivalent:
            if certificate.degree.map(edition.acceptedDegrees.contains) != true { reasons.insert(.degreeNotAccepted) }
        }
        if let refused = refusal(reasons, missing: DocumentKind.alwaysRequired, facts) { return refused }

        // Reached only with an accepted degree or a child's certificate; a programme
        // edition's file is refused at start without its caps (`EditionRules.problems`).
        let group = group(of: certificate)!
        let period = grantPeriod(edition: edition, certificate: certificate, on: today)
        let basis = hoursBasis(
            needs: facts.declaredNeeds, cap: edition.annualHourCaps!.cap(for: group), monthlyLimit: edition.monthlyHourLimit, period: period)
        return Verdict(outcome: .granted, reasons: [], missingDocuments: [], group: group, hours: basis.hours, period: period, hoursBasis: basis)
    }

    /// What every scheme refuses: outside the area, after the edition, a certificate kind
    /// it does not accept or one that ends before the grant could start, an
    /// incapacitated person without the guardianship documents.
    static func commonReasons(_ facts: ApplicationFacts, edition: EditionRules, on today: CalendarDate) -> Set<RejectionReason> {
        var reasons: Set<RejectionReason> = []
        if !facts.residesInProgrammeArea { reasons.insert(.notResident) }
        if today > edition.period.end { reasons.insert(.outsideEdition) }
        if !edition.acceptedCertificates.contains(facts.certificate.kind) { reasons.insert(.certificateKindNotAccepted) }
        let start = max(today, edition.period.start)
        if let validUntil = facts.certificate.validUntil, validUntil < start { reasons.insert(.certificateExpired) }
        if facts.legallyIncapacitated, !DocumentKind.guardianship.allSatisfy(facts.documents.contains) {
            reasons.insert(.missingGuardianshipDocuments)
        }
        return reasons
    }

    /// Rejected with every reason, else waiting while a `required` document is missing;
    /// nil when the application may be granted.
    static func refusal(_ reasons: Set<RejectionReason>, missing required: [DocumentKind], _ facts: ApplicationFacts) -> Verdict? {
        if !reasons.isEmpty { return .rejected(Array(reasons)) }
        let missing = required.filter { !facts.documents.contains($0) }.sorted()
        guard missing.isEmpty else {
            return Verdict(outcome: .waitingForDocuments, reasons: [], missingDocuments: missing, group: nil, hours: nil, period: nil)
        }
        return nil
    }

    /// Child's certificate → child; otherwise the degree: significant or moderate
    /// (an equivalent certificate counts as the degree it states). Nil for mild or none.
    static func group(of certificate: CertificateFacts) -> ParticipantGroup? {
        let category: ParticipantGroup.Category
        switch (certificate.kind, certificate.degree) {
        case (.childDisability, _): category = .child
        case (_, .significant?): category = .adultSignificant
        case (_, .moderate?): category = .adultModerate
        case (_, .mild?), (_, nil): return nil
        }
        return ParticipantGroup(category: category, multipleDisabilities: certificate.multipleDisabilities)
    }

    /// From the later of the decision day and the edition's start, to the earlier
    /// of the edition's end and the day the certificate is valid until.
    static func grantPeriod(edition: EditionRules, certificate: CertificateFacts, on today: CalendarDate) -> DateRange {
        let start = max(today, edition.period.start)
        let end = min(edition.period.end, certificate.validUntil ?? edition.period.end)
        return DateRange(start: start, end: end)
    }

    /// Calendar months the period touches, whole or started: 15 May–31 Dec is 8.
    static func months(in period: DateRange) -> Int {
        (period.end.year * 12 + period.end.month) - (period.start.year * 12 + period.start.month) + 1
    }

    /// hours = min(declared hours a month × months, annual cap × months / 12
    /// rounded down, monthly limit × months when the edition has one), where
    /// months = `months(in: period)`. A grant starting in August of a calendar-year
    /// edition (5 months) for a moderate degree (360 h a year) declaring 40 h a
    /// month gets min(200, 150) = 150 h.
    static func hoursBasis(needs: DeclaredNeeds, cap: Int, monthlyLimit: Int?, period: DateRange) -> HoursBasis {
        HoursBasis(annualCap: cap, months: months(in: period), declaredHoursPerMonth: needs.hoursPerMonth, monthlyLimit: monthlyLimit)
    }
}
