/// A figure in a rule file that cannot be right, named by its path in the file.
public struct RuleProblem: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}

extension EditionRules {
    /// Every problem of the file, so an operator fixes them in one pass; empty when the
    /// rules can be applied. Start-up refuses a file with any.
    public var problems: [RuleProblem] {
        var problems: [RuleProblem] = []
        func check(_ holds: Bool, _ field: String, _ message: String) {
            if !holds { problems.append(RuleProblem(field, message)) }
        }
        check(period.start <= period.end, "period.end", "must not be before period.start (\(period.start))")
        check(childAgeBand.minimumAge < childAgeBand.maximumAge, "childAgeBand.maximumAge", "must be above minimumAge")
        check(assistantDailyLimitHours > 0 && assistantDailyLimitHours <= 24, "assistantDailyLimitHours", "must be between 1 and 24")
        check(Set(providers.map(\.id)).count == providers.count, "providers", "two providers share an id")
        if let monthlyHourLimit { check(monthlyHourLimit > 0, "monthlyHourLimit", "must be positive, or null for none") }

        guard let statute else {
            if let caps = annualHourCaps {
                for (name, hours) in [
                    ("significantMultiple", caps.significantMultiple), ("significant", caps.significant),
                    ("moderateMultiple", caps.moderateMultiple), ("moderate", caps.moderate), ("child", caps.child),
                ] {
                    check(hours > 0, "annualHourCaps.\(name)", "must be positive")
                }
            } else {
                problems.append(
                    RuleProblem("annualHourCaps", "a programme edition needs its annual caps (or a statute section for a statutory scheme)"))
            }
            return problems
        }

        check(annualHourCaps == nil, "annualHourCaps", "a statutory scheme has monthly budgets (statute.monthlyHours), not annual caps")
        check(monthlyHourLimit == nil, "monthlyHourLimit", "a statutory scheme's monthly bounds are statute.monthlyHours")
        check(!statute.sources.isEmpty, "statute.sources", "must say where the figures come from")
        let band = statute.adultAgeBand
        check(band.minimumAge < band.maximumAge, "statute.adultAgeBand.maximumAge", "must be above minimumAge")
        check(childAgeBand.maximumAge <= band.minimumAge, "childAgeBand.maximumAge", "the youth band must end where the adults' begins")
        problems += Self.problems(of: statute.minimumSupportScore, "statute.minimumSupportScore", allowed: 0...100)
        let hours = statute.monthlyHours
        check(hours.minimum > 0, "statute.monthlyHours.minimum", "must be positive")
        problems += Self.problems(of: hours.adultMaximum, "statute.monthlyHours.adultMaximum", allowed: max(hours.minimum, 1)...744)
        check(
            hours.youthMaximum >= hours.minimum && hours.youthMaximum <= 744, "statute.monthlyHours.youthMaximum",
            "must be between the minimum and 744")
        check((1...120).contains(statute.decisionValidityMonths), "statute.decisionValidityMonths", "must be between 1 and 120")
        check(statute.assistant.minimumAge >= 16, "statute.assistant.minimumAge", "must be at least 16")
        check(
            Set(statute.assistant.qualifications).count == statute.assistant.qualifications.count, "statute.assistant.qualifications",
            "names a qualification twice")
        check((1...28).contains(statute.settlementDeadlineDay), "statute.settlementDeadlineDay", "must be a day every month has (1–28)")
        return problems
    }

    private static func problems(of phased: Phased<Int>, _ field: String, allowed: ClosedRange<Int>) -> [RuleProblem] {
        guard !phased.steps.isEmpty else { return [RuleProblem(field, "needs at least one step")] }
        var problems: [RuleProblem] = []
        for (index, step) in phased.steps.enumerated() {
            if !allowed.contains(step.value) {
                problems.append(RuleProblem("\(field)[\(index)].value", "must be between \(allowed.lowerBound) and \(allowed.upperBound)"))
            }
            if index > 0, phased.steps[index - 1].from >= step.from {
                problems.append(RuleProblem("\(field)[\(index)].from", "steps must be in date order, each after the one before"))
            }
        }
        return problems
    }
}
