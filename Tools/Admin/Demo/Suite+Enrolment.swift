import ArgumentParser
import Foundation

extension Suite {
    /// Submits each form to intake; a person who already applied in the edition
    /// answers 409 with their application, which is taken as it is.
    func apply(_ applicants: [SyntheticApplicant]) async throws -> [ApplicationStatus] {
        var applications: [ApplicationStatus] = []
        for applicant in applicants {
            let (status, data) = try await send("POST", .intake, "/applications", applicant)
            switch status {
            case 201:
                applications.append(try JSONDecoder().decode(ApplicationStatus.self, from: data))
            case 409:
                guard let id = try JSONDecoder().decode(APIErrorBody.self, from: data).error.details?["applicationID"] else {
                    throw HTTPFailure(status: status, body: String(decoding: data, as: UTF8.self))
                }
                applications.append(try await expect(ApplicationStatus.self, "GET", .intake, "/applications/\(id)"))
            default:
                throw HTTPFailure(status: status, body: "POST /applications: " + String(decoding: data, as: UTF8.self))
            }
        }
        return applications
    }

    /// Every decision of the edition, page by page.
    func decisions(edition: String) async throws -> [Decision] {
        var all: [Decision] = []
        var after: String?
        repeat {
            let page = try await expect(
                DecisionPage.self, "GET", .eligibility, "/decisions?edition=\(edition)&limit=1000" + (after.map { "&after=\($0)" } ?? ""))
            all += page.decisions
            after = page.next
        } while after != nil
        return all
    }

    /// Waits for eligibility's automatic decision on each application, then
    /// confirms the unsettled ones in one bulk action (grants then flow to
    /// ordering and timesheet over Kafka), except the last `leaving` ones, which
    /// stay in the operators' queue. Returns the decisions, in order.
    func settle(_ applications: [ApplicationStatus], edition: String, leaving: Int = 0) async throws -> [Decision] {
        let wanted = Set(applications.map(\.id))
        let decided = try await eventually("eligibility's decisions on \(wanted.count) applications") { () -> [String: Decision]? in
            let byApplication = Dictionary(
                try await decisions(edition: edition).filter { wanted.contains($0.applicationID) }.map { ($0.applicationID, $0) }
            ) { $1 }
            return byApplication.count == wanted.count ? byApplication : nil
        }
        let confirming = Set(applications.dropLast(leaving).map(\.id))
        let open = decided.values.filter { $0.review == "automatic" && confirming.contains($0.applicationID) }.map(\.id).sorted()
        if !open.isEmpty {
            let (status, data) = try await send(
                "POST", .eligibility, "/decisions/confirmations",
                Confirmations(decisionIDs: open, justification: "Demo: documents checked against the application form."))
            // 409: another operator settled some of them meanwhile; they stand as settled.
            guard status == 200 || status == 409 else { throw HTTPFailure(status: status, body: String(decoding: data, as: UTF8.self)) }
        }
        let confirmed = Set(open)
        return applications.compactMap { application in
            decided[application.id].map { decision in
                var decision = decision
                if confirmed.contains(decision.id) { decision.review = "confirmed" }
                return decision
            }
        }
    }

    /// Waits until ordering holds the participant's grant; its allowance.
    func allowance(of participant: String) async throws -> Allowance {
        try await eventually("ordering to learn the grant of \(participant)") {
            let (status, data) = try await send("GET", .ordering, "/participants/\(participant)/allowance")
            return status == 200 ? try JSONDecoder().decode(Allowance.self, from: data) : nil
        }
    }
}
