/// A statutory scheme of personal assistance (the bill "o asystencji osobistej osób z
/// niepełnosprawnościami"), as data beside the programme's editions: who qualifies,
/// how many hours a month, for how long, who may deliver and when it is reported.
/// Every figure is a default an operator changes in the file when the final text
/// differs; `sources` says where each one comes from.
public struct StatuteRules: Hashable, Codable, Sendable {
    /// Where the figures come from, with the date of the text they were read in.
    public var sources: [RuleSource]
    /// Adults qualify from `minimumAge` until the day before their `maximumAge` birthday
    /// ("up to 65" ends on the 66th birthday). Youth use the edition's `childAgeBand`.
    public var adultAgeBand: AgeBand
    /// Poziom potrzeby wsparcia (0–100 points) an adult needs at least, from each date on.
    public var minimumSupportScore: Phased<Int>
    public var monthlyHours: MonthlyHours
    /// A decision runs at most this many months (5 years: 60).
    public var decisionValidityMonths: Int
    public var assistant: AssistantRequirements
    /// Providers report a month's delivered hours by this day of the following month.
    public var settlementDeadlineDay: Int

    public init(
        sources: [RuleSource], adultAgeBand: AgeBand, minimumSupportScore: Phased<Int>, monthlyHours: MonthlyHours, decisionValidityMonths: Int,
        assistant: AssistantRequirements, settlementDeadlineDay: Int
    ) {
        self.sources = sources
        self.adultAgeBand = adultAgeBand
        self.minimumSupportScore = minimumSupportScore
        self.monthlyHours = monthlyHours
        self.decisionValidityMonths = decisionValidityMonths
        self.assistant = assistant
        self.settlementDeadlineDay = settlementDeadlineDay
    }
}

/// One figure's source: "monthlyHours.adultMaximum — projekt ustawy z 28.10.2025, art. 8".
public struct RuleSource: Hashable, Codable, Sendable {
    /// The rule file's field the source is for.
    public var figure: String
    public var source: String
    public var date: CalendarDate
    public init(figure: String, source: String, date: CalendarDate) {
        self.figure = figure
        self.source = source
        self.date = date
    }
}

/// A figure the law phases in: each step's value holds from its day until the next
/// step. Written as `[{"from": "2027-01-01", "value": 200}, …]`, earliest first.
public struct Phased<Value: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    public struct Step: Hashable, Codable, Sendable {
        public var from: CalendarDate
        public var value: Value
        public init(from: CalendarDate, value: Value) {
            self.from = from
            self.value = value
        }
    }

    public var steps: [Step]
    public init(_ steps: [Step]) { self.steps = steps }

    /// The value in force on `day`: the latest step begun by then, else the first
    /// (a figure is never undefined inside a scheme's period).
    public func value(on day: CalendarDate) -> Value {
        (steps.last { $0.from <= day } ?? steps[0]).value
    }

    public init(from decoder: any Decoder) throws { steps = try [Step](from: decoder) }
    public func encode(to encoder: any Encoder) throws { try steps.encode(to: encoder) }
}

/// The monthly budget's bounds: a decision grants between `minimum` and the maximum
/// in force when it starts; unused hours carry over to the next month while the
/// decision runs (`carryOver`) and lapse when it ends.
public struct MonthlyHours: Hashable, Codable, Sendable {
    public var minimum: Int
    /// For adults: 200 in 2027, 220 in 2028, 240 from 2029 in the draft.
    public var adultMaximum: Phased<Int>
    /// For ages in the edition's `childAgeBand` (13–18): 80.
    public var youthMaximum: Int
    public var carryOver: Bool
    public init(minimum: Int, adultMaximum: Phased<Int>, youthMaximum: Int, carryOver: Bool) {
        self.minimum = minimum
        self.adultMaximum = adultMaximum
        self.youthMaximum = youthMaximum
        self.carryOver = carryOver
    }
}

/// Who may assist under the statute: an adult, not related to the person, holding
/// each of `qualifications`, each valid on the day of the service.
public struct AssistantRequirements: Hashable, Codable, Sendable {
    public var minimumAge: Int
    public var qualifications: [QualificationKind]
    public var mayBeRelated: Bool
    public init(minimumAge: Int, qualifications: [QualificationKind], mayBeRelated: Bool) {
        self.minimumAge = minimumAge
        self.qualifications = qualifications
        self.mayBeRelated = mayBeRelated
    }
}

/// What the register of assistants records for an assistant.
public enum QualificationKind: String, Codable, Sendable, CaseIterable, Comparable {
    /// Szkolenie dla asystentów osobistych.
    case assistantCourse = "assistant-course"
    /// Kurs pierwszej pomocy.
    case firstAid = "first-aid"
    /// Szkolenie z ewakuacji osób z niepełnosprawnościami.
    case evacuation
    /// Oświadczenie o niekaralności.
    case noCriminalRecordStatement = "no-criminal-record-statement"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Poziom potrzeby wsparcia: the score (0–100) of an assessment under the regulation
/// of 2023 (Dz.U. poz. 2581), with when and by whom it was assessed. Backed by the
/// `support-needs-assessment` document.
public struct SupportNeedsAssessment: Hashable, Codable, Sendable {
    public var score: Int
    public var assessedOn: CalendarDate
    /// The body that issued it, e.g. "MZON Wrocław" (no personal data).
    public var issuedBy: String
    public init(score: Int, assessedOn: CalendarDate, issuedBy: String) {
        self.score = score
        self.assessedOn = assessedOn
        self.issuedBy = issuedBy
    }
}
