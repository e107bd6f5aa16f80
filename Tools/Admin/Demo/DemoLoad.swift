import ArgumentParser
import Domain
import Foundation

/// Loads the demo edition into a running suite: the edition's eight NGOs with
/// a signing key and three assistants each, and a few dozen participants who
/// apply through intake and are granted support through eligibility. Every
/// step looks first or relies on a unique key, so a second run adds nothing.
struct DemoLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load the demo edition's NGOs, assistants and participants (idempotent).")
    @OptionGroup var options: SuiteOptions
    @Option(help: "How many participants to enrol.") var participants = 36
    @Option(help: "How many of them (the last ones) to leave awaiting an operator's review.") var awaitingReview = 6
    @Option(help: "Where the edition files are (eligibility's editions.directory).") var editions = "deploy/editions"

    static let assistantsPerProvider = 3
    static let skills = [["wheelchair", "first-aid"], ["guiding-blind", "driving"], ["sign-language", "child-care"]]

    func run() async throws {
        let suite = try await Suite.connect(options)
        let state = try DemoState(path: options.state)
        let rules = try JSONDecoder().decode(EditionRules.self, from: Data(contentsOf: URL(fileURLWithPath: "\(editions)/\(options.edition).json")))
        let providerIDs = rules.providers.map(\.id.rawValue)

        // The NGOs: ordering registers them from the edition eligibility publishes.
        _ = try await eventually("ordering to register the edition's \(providerIDs.count) NGOs") {
            let known = Set(try await suite.expect([Provider].self, "GET", .ordering, "/providers").map(\.providerID))
            return known.isSuperset(of: providerIDs) ? known : nil
        }
        var issued = 0
        for provider in providerIDs where state.key(of: provider) == nil {
            // Timesheet learns the NGO from ordering's event a moment later.
            let key = try await eventually("timesheet to know \(provider)") { () -> SigningKey? in
                let (status, data) = try await suite.send("POST", .timesheet, "/providers/\(provider)/keys")
                return status == 201 ? try JSONDecoder().decode(SigningKey.self, from: data) : nil
            }
            try state.store(key, of: provider)
            issued += 1
        }
        let week = (1...7).map { WeeklySlot(weekday: $0, from: "07:00", to: "22:00") }
        var registered = 0
        for provider in providerIDs {
            let existing = try await suite.expect([Assistant].self, "GET", .ordering, "/providers/\(provider)/assistants").count
            for index in existing..<max(existing, Self.assistantsPerProvider) {
                _ = try await suite.expect(
                    Assistant.self, "POST", .ordering, "/providers/\(provider)/assistants",
                    RegisterAssistant(skills: Self.skills[index % Self.skills.count], availability: week))
                registered += 1
            }
        }

        // The participants.
        let profiles: [SyntheticApplicant.Profile] = [.child, .significantMultiple, .significant, .significant, .moderateMultiple, .moderate]
        // The operators' queue holds refusals as well as grants.
        let queued: [SyntheticApplicant.Profile] = [.significant, .mild, .moderateMultiple, .childWithOneIndication, .child, .moderate]
        let applicants = (0..<participants).map { serial in
            let awaiting = serial >= participants - awaitingReview
            return SyntheticApplicant(
                serial: serial, profile: awaiting ? queued[serial % queued.count] : profiles[serial % profiles.count],
                hoursPerMonth: 20 + serial % 4 * 10, edition: options.edition)
        }
        let decisions = try await suite.settle(try await suite.apply(applicants), edition: options.edition, leaving: awaitingReview)
        let granted = decisions.filter { $0.outcome == "granted" && $0.review != "automatic" }
        for decision in granted { _ = try await suite.allowance(of: decision.participantID) }

        print(
            "demo edition \(options.edition): \(providerIDs.count) NGOs (\(issued) keys issued now, secrets in \(state.directory.path)/keys), "
                + "\(registered) assistants registered now, \(granted.count) of \(decisions.count) participants granted, "
                + "\(decisions.count { $0.review == "automatic" }) awaiting an operator's review"
        )
    }
}
