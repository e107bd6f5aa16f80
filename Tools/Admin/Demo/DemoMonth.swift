import ArgumentParser
import Domain
import Foundation
import Kafka

/// Drives one month of the demo edition against a running suite: new
/// applications (some refused), orders placed and assigned, the NGOs' signed
/// timesheet entries — a few wrong on purpose — and their answers, the month
/// closed, and reporting's summary.
struct DemoMonth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "month", abstract: "Drive a month against the running suite and print reporting's summary.")
    @OptionGroup var options: SuiteOptions
    @Option(help: "The month, YYYY-MM (default: the month after the last one the demo closed, from June).") var month: String?
    @Option(help: "How many participants get orders this month.") var served = 16
    @Option(help: "Consumer group prefix of the services (kafka.consumer_group_prefix).") var groupPrefix = "asysta"

    func run() async throws {
        let started = ContinuousClock.now
        let suite = try await Suite.connect(options)
        let state = try DemoState(path: options.state)
        let month = try self.month ?? nextMonth(after: state.closedMonths)
        guard YearMonth(month) != nil, let monthNumber = Int(month.suffix(2)) else { throw ValidationError("--month must be YYYY-MM") }
        print("Asysta demo: edition \(options.edition), \(month)")

        // Applications: four eligible, two refused; the last eligible one asks for 1 h a month.
        let profiles: [(SyntheticApplicant.Profile, Int)] = [
            (.significant, 30), (.moderate, 20), (.child, 25), (.mild, 20), (.childWithOneIndication, 20), (.moderate, 1),
        ]
        let applicants = profiles.enumerated().map { index, profile in
            SyntheticApplicant(serial: 100 + monthNumber * 10 + index, profile: profile.0, hoursPerMonth: profile.1, edition: options.edition)
        }
        let newcomers = try await suite.settle(try await suite.apply(applicants), edition: options.edition)
        let refused = newcomers.filter { $0.outcome == "rejected" }
        print(
            "applications  \(newcomers.count) submitted: \(newcomers.count - refused.count) granted, \(refused.count) refused (\(refused.flatMap(\.reasons).joined(separator: ", ")))"
        )
        let smallGrant = newcomers.last!.participantID

        // Orders: two a participant, assigned to the best suggested assistant.
        let granted = try await suite.decisions(edition: options.edition).filter {
            $0.outcome == "granted" && $0.review != "automatic" && $0.participantID != smallGrant
        }
        let participants = Array(granted.suffix(served))
        let providers = try await suite.expect([Provider].self, "GET", .ordering, "/providers").map(\.providerID).sorted()
        var orders: [(order: Order, assignment: Assignment)] = []
        var plannedOrders = 0
        for (index, participant) in participants.enumerated() {
            _ = try await suite.allowance(of: participant.participantID)
            for slot in 0..<2 {
                plannedOrders += 1
                let day = String(format: "%@-%02d", month, 1 + (index * 3 + slot * 11) % 28)
                let (start, end) = slot == 0 ? ("09:00", "12:00") : ("13:30", "16:00")
                if let placed = try await place(
                    suite,
                    PlaceOrder(
                        participantID: participant.participantID, date: day, start: start, end: end,
                        activity: ["mobility", "errands", "culture", "healthcare"][(index + slot) % 4], place: "ul. Przykładowa 1, Wrocław"),
                    preferring: providers[index % providers.count])
                {
                    orders.append(placed)
                }
            }
        }
        _ = try await suite.allowance(of: smallGrant)
        var small: [(order: Order, assignment: Assignment)] = []
        for slot in 0..<2 {
            let order = PlaceOrder(
                participantID: smallGrant, date: String(format: "%@-%02d", month, 20 + slot), start: "10:00", end: "14:00", activity: "self-care",
                place: "ul. Przykładowa 2, Wrocław")
            if let placed = try await place(suite, order, preferring: providers[0]) { small.append(placed) }
        }
        if small.count < 2 {
            print("note          the 1-hour-a-month participant had no allowance left for two orders (month driven before?): no over-allowance entry")
        }
        print(
            "orders        \(orders.count + small.count) placed and assigned (\(plannedOrders + 2 - orders.count - small.count) not placed: no allowance or no free assistant)"
        )

        // Timesheet must know the assignments before the NGOs' entries arrive.
        try await caughtUp("timesheet-reference", [.orders, .providers, .decisions])

        let records = try deliveredRecords(orders: orders, small: small, state: state, month: month)
        let wrong = try wrongRecords(orders: orders, state: state, month: month, assistants: try await assistantsByProvider(suite))
        let answers = try await publishAndCollect(records + wrong, kafka: options.kafka)
        let accepted = (records + wrong).filter { answers[$0.answerKey]?.hasPrefix("HoursAccounted") == true }.count
        print(
            "entries       \(records.count + wrong.count) published by \(Set(records.map(\.entry.providerID)).count) NGOs: \(accepted) accepted, "
                + "\((records + wrong).count - accepted) answered otherwise (below)")

        let closing = try await suite.send("POST", .timesheet, "/editions/\(options.edition)/months/\(month)/close")
        guard [200, 201, 409].contains(closing.status) else {
            throw HTTPFailure(status: closing.status, body: String(decoding: closing.body, as: UTF8.self))
        }
        try state.recordClosed(month)
        print("month         \(month) closed")

        try await caughtUp("reporting", [.editions, .decisions, .providers, .orders, .timesheetResults, .timesheetPeriods])
        let report = try await suite.expect(ReportSummary.self, "GET", .reporting, "/editions/\(options.edition)/report?from=\(month)&to=\(month)")
        report.printMonth(month)
        let toDate = try await suite.expect(ReportSummary.self, "GET", .reporting, "/editions/\(options.edition)/report?from=2022-05&to=\(month)")
        toDate.printBudget("2022-05 to \(month)")

        print("\nEntries not accepted (\(month))")
        for record in records + wrong {
            let answer = answers[record.answerKey] ?? "no answer"
            guard !answer.hasPrefix("HoursAccounted") else { continue }
            print("  \(record.entry.providerID) \(record.entry.entryID) #\(record.entry.sequence) — \(record.intent)\n      → \(answer)")
        }
        print("\ndone in \((ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
    }

    /// The month after the last closed one, June at the earliest.
    func nextMonth(after closed: [String]) throws -> String {
        let candidates = (6...12).map { String(format: "%@-%02d", options.edition, $0) }
        guard let next = candidates.first(where: { !closed.contains($0) }) else {
            throw ValidationError("the demo has closed every month of \(options.edition); `scripts/run stop && rm -rf .local` starts afresh")
        }
        return next
    }

    /// Places the order and assigns it to a suggested assistant (of the preferred NGO when it has one free); nil when it cannot be placed.
    func place(_ suite: Suite, _ request: PlaceOrder, preferring provider: String) async throws -> (order: Order, assignment: Assignment)? {
        let (status, data) = try await suite.send("POST", .ordering, "/orders", request)
        guard status == 201 else { return nil }
        let order = try JSONDecoder().decode(Order.self, from: data)
        let suggestions = try await suite.expect([Suggestion].self, "GET", .ordering, "/orders/\(order.orderID)/suggestions")
        let preferred = suggestions.filter { $0.providerID == provider } + suggestions.filter { $0.providerID != provider }
        for suggestion in preferred {
            let assignment = Assignment(providerID: suggestion.providerID, assistantID: suggestion.assistantID)
            if try await suite.send("POST", .ordering, "/orders/\(order.orderID)/assignment", assignment).status == 200 { return (order, assignment) }
        }
        return nil
    }

    /// Waits until the consumer group `<prefix>-<consumer>` has read everything on `topics`
    /// (a committed offset past the broker's high watermark, as Tansu reports some, counts as read).
    func caughtUp(_ consumer: String, _ topics: [Topic]) async throws {
        let configuration = try options.kafka.configuration()
        _ = try await eventually("\(consumer) to catch up", seconds: 30) { () -> Bool? in
            let lags = try await KafkaAdmin.lag(
                groupID: "\(groupPrefix)-\(consumer)", topics: topics.map { options.kafka.topicPrefix + $0.name }, configuration: configuration)
            return lags.allSatisfy { $0.lag <= 0 } ? true : nil
        }
    }

    func assistantsByProvider(_ suite: Suite) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for provider in try await suite.expect([Provider].self, "GET", .ordering, "/providers") {
            result[provider.providerID] = try await suite.expect([Assistant].self, "GET", .ordering, "/providers/\(provider.providerID)/assistants")
                .map(\.assistantID)
        }
        return result
    }
}
