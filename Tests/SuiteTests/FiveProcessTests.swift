import Domain
import Foundation
import Kafka
import Logging
import Postgres
import TestSupport
import Testing

/// The whole programme as MOPS and an NGO meet it, with every service a separate
/// process: two applications go in at intake, an operator confirms eligibility's
/// grants, ordering learns them, a coordinator orders and assigns, the NGO signs
/// and publishes its hours on its topic and reads its answers, MOPS closes the
/// month, and the ministry export adds up to the figures worked out by hand.
@Suite("Five processes end to end", .timeLimit(.minutes(5)))
struct FiveProcessTests {
    @Test("applications, decisions, grants, orders, signed NGO hours and a closed month reach the ministry export")
    func wholeProgramme() async throws {
        try await FiveServices.run(label: "five") { services in
            let provider = FiveServices.provider
            let edition = FiveServices.edition

            // Two applicants: significant degree, and moderate with multiple disabilities.
            let significant = try await services.grantedApplicant(serial: 1, degree: "significant", multiple: false)
            let moderate = try await services.grantedApplicant(serial: 2, degree: "moderate", multiple: true)

            // Ordering learns the grants from eligibility's events.
            for applicant in [significant, moderate] {
                let allowance = try await eventually { () -> [String: Any]? in
                    let answer = try await services.ordering.json("GET", "/participants/\(applicant.participantID)/allowance", as: .coordinator)
                    return answer.status == 200 ? answer.body : nil
                }
                #expect(allowance["remainingMinutes"] as? Int == applicant.hours * 60)
            }

            // A coordinator registers an assistant with the NGO and orders three hours for each, the day after "today".
            let day = FiveServices.today.adding(days: 1)
            let assistantID = try await services.assistant()
            let orders = [
                try await services.assignedOrder(
                    participant: significant.participantID, assistant: assistantID, day: day, from: "09:00", to: "12:00"),
                try await services.assignedOrder(participant: moderate.participantID, assistant: assistantID, day: day, from: "13:00", to: "16:00"),
            ]

            // MOPS issues the NGO a key (the documented route) once timesheet has read the NGO
            // from ordering's events (until then: 404 unknown-provider); the NGO signs with it.
            let key = try await eventually { () -> (status: Int, body: [String: Any])? in
                let answer = try await services.timesheet.json("POST", "/providers/\(provider)/keys")
                return answer.status == 404 ? nil : answer
            }
            #expect(key.status == 201, "\(key.body)")
            let keyID = try #require(key.body["keyId"] as? String)
            let secret = try #require((key.body["secret"] as? String).flatMap { Data(base64Encoded: $0) })
            let topic = "\(services.namespace).\(Topic.timesheetSubmissions.name)"
            func entry(_ id: String, order: String, participant: String, from: (Int, Int), to: (Int, Int)) throws -> KafkaOutgoingMessage {
                let entry = TimesheetEntrySubmitted(
                    providerID: ProviderID(provider), entryID: id, sequence: 1, assistantID: AssistantID(assistantID),
                    orderID: OrderID(order), participantID: ParticipantID(participant),
                    start: Self.wroclaw(day, from), end: Self.wroclaw(day, to), activity: .mobility)
                return try SignedEntry.record(entry, keyID: keyID, secret: Array(secret), topic: topic)
            }
            // Two hours for the first, two and a half for the second.
            let records = [
                try entry("PS/suite/001", order: orders[0], participant: significant.participantID, from: (9, 0), to: (11, 0)),
                try entry("PS/suite/002", order: orders[1], participant: moderate.participantID, from: (13, 0), to: (15, 30)),
            ]
            // An entry sent before timesheet has read the assignment would be refused as not assigned,
            // and no API shows what timesheet has read: this probe alone looks into its database.
            let timesheetDatabase = PostgresPool(configuration: services.timesheet.database, logger: Logger(label: "suite"))
            _ = try await eventually { () -> Bool? in
                try await timesheetDatabase.withConnection { connection in
                    try await connection.query("SELECT 1 FROM orders WHERE order_id = ANY(\(orders)::text[]) AND assistant_id = \(assistantID)").count
                        == 2 ? true : nil
                }
            }
            await timesheetDatabase.close()
            try await produceAll(records, kafka: TestBroker.shared.configuration(clientID: "ngo-\(provider)"), logger: Logger(label: "ngo"))

            // The NGO reads its answers back.
            for (entryID, minutes) in [("PS/suite/001", 120), ("PS/suite/002", 150)] {
                let path = "/providers/\(provider)/entries/\(entryID.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                let version = try await eventually { () -> [String: Any]? in
                    let answer = try await services.timesheet.json("GET", path, as: .provider, provider: provider)
                    return (answer.body["versions"] as? [[String: Any]])?.last.flatMap { $0["outcome"] == nil ? nil : $0 }
                }
                #expect(version["outcome"] as? String == "accepted", "\(version)")
                #expect(version["minutes"] as? Int == minutes)
            }

            // Ordering moves the hours from reserved to delivered.
            for (applicant, minutes) in [(significant, 120), (moderate, 150)] {
                let allowance = try await eventually { () -> [String: Any]? in
                    let answer = try await services.ordering.json("GET", "/participants/\(applicant.participantID)/allowance", as: .coordinator)
                    return answer.body["deliveredMinutes"] as? Int == minutes ? answer.body : nil
                }
                #expect(allowance["remainingMinutes"] as? Int == applicant.hours * 60 - minutes)
            }

            // MOPS closes the month; the ministry export shows it closed with the hand-computed figures.
            let month = day.yearMonth.description
            let closed = try await services.timesheet.json("POST", "/editions/\(edition)/months/\(month)/close")
            #expect(closed.status == 201, "\(closed.body)")
            let report = try await eventually { () -> [String: Any]? in
                let answer = try await services.reporting.json("GET", "/editions/\(edition)/export.json", as: .auditor)
                let months = answer.body["months"] as? [[String: Any]] ?? []
                let isClosed = months.contains { $0["month"] as? String == month && $0["closed"] as? Bool == true }
                let total = (answer.body["hoursByGroup"] as? [[String: Any]])?.first { $0["group"] as? String == "total" }
                return isClosed && total?["minutes"] as? Int == 270 ? answer.body : nil
            }
            ExportFigures(report: report).expectHandComputed()

            let csv = await services.reporting.request("GET", "/editions/\(edition)/export.csv", body: nil, as: .auditor)
            #expect(csv.status == 200)
            let sections = CSVSections(Data(csv.body.dropFirst(3)))
            // Godziny wg grup: 2 h + 2,5 h at the NGO's 40,00 zł (the edition's cap).
            #expect(
                sections.row("Godziny wg grup", startingWith: "Razem")?.contains("4,50") == true,
                "\(sections.row("Godziny wg grup", startingWith: "Razem") ?? [])")
            #expect(sections.row("Godziny wg grup", startingWith: "Razem")?.last?.hasPrefix("180,00") == true)
            #expect(sections.row("Uczestnicy", startingWith: "Razem")?.suffix(2) == ["2", "2"])
            #expect(sections.row("Godziny wg organizacji", startingWith: "Fundacja Promyk Słońca")?.last?.hasPrefix("180,00") == true)

            // Every record the services and the NGO put on the suite's topics keeps its published schema.
            let published = try await BrokerObserver.records(on: Topic.all.map { "\(services.namespace).\($0.name)" })
            #expect(Set(published.map(\.topic)).count == Topic.all.count, "every topic carried something")
            let problems = try await ContractCheck.problems(in: published)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// `at` on `day` in Wrocław's local time.
    static func wroclaw(_ day: CalendarDate, _ at: (hour: Int, minute: Int)) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Warsaw")!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: at.hour, minute: at.minute))!
    }
}
