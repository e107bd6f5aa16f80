/// A Kafka topic of the suite. One topic per aggregate; the record key is the
/// aggregate's id (the participant, for most), so one person's events stay in order.
public struct Topic: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// Who writes it; the AsyncAPI document says the same.
    public let producer: String
    /// What the record key holds.
    public let key: String

    public init(name: String, producer: String, key: String) {
        self.name = name
        self.producer = producer
        self.key = key
    }

    public var description: String { name }
    /// Where a consumer of this topic parks what it cannot process.
    public var deadLetter: String { name + ".dlq" }
}

extension Topic {
    public static let applications = Topic(name: "asysta.intake.applications", producer: "intake", key: "participant id")
    public static let editions = Topic(name: "asysta.eligibility.editions", producer: "eligibility", key: "edition id")
    public static let decisions = Topic(name: "asysta.eligibility.decisions", producer: "eligibility", key: "participant id")
    public static let providers = Topic(name: "asysta.ordering.providers", producer: "ordering", key: "provider id")
    public static let orders = Topic(name: "asysta.ordering.orders", producer: "ordering", key: "participant id")
    /// NGO systems publish here: the public timesheet contract.
    public static let timesheetSubmissions = Topic(name: "asysta.timesheet.submissions", producer: "NGO systems", key: "participant id")
    /// One answer per submitted entry, keyed by provider so each NGO follows its own.
    public static let timesheetResults = Topic(name: "asysta.timesheet.results", producer: "timesheet", key: "provider id")
    public static let timesheetPeriods = Topic(name: "asysta.timesheet.periods", producer: "timesheet", key: "edition id")

    public static let all: [Topic] = [applications, editions, decisions, providers, orders, timesheetSubmissions, timesheetResults, timesheetPeriods]
}
