import Domain
import Foundation
import TestSupport
import Testing

/// What MOPS does before an NGO can work: grants (application, automatic
/// decision, an operator's confirmation) and assigned orders, over HTTP only.
extension FiveServices {
    struct Applicant {
        var participantID: String
        var hours: Int
    }

    /// Submits an application at intake, waits for eligibility's automatic grant
    /// and confirms it as an operator.
    func grantedApplicant(
        serial: Int, degree: String, multiple: Bool, edition: String = Self.edition, supportNeeds: [String: Any]? = nil
    ) async throws -> Applicant {
        let decision = try await decision(serial: serial, degree: degree, multiple: multiple, edition: edition, supportNeeds: supportNeeds)
        #expect(decision["outcome"] as? String == "granted", "\(decision)")
        let decisionID = try #require(decision["id"] as? String)
        let confirmed = try await eligibility.json("POST", "/decisions/\(decisionID)/confirmation", ["justification": "documents checked"])
        #expect(confirmed.status == 200, "\(confirmed.body)")
        return Applicant(participantID: try #require(decision["participantID"] as? String), hours: try #require(decision["hours"] as? Int))
    }

    /// Submits an application at intake (with a support-needs score and its scan when
    /// given) and returns eligibility's automatic decision on it.
    func decision(
        serial: Int, degree: String, multiple: Bool, edition: String = Self.edition, supportNeeds: [String: Any]? = nil
    ) async throws -> [String: Any] {
        let born = CalendarDate("1980-06-15")!
        var form: [String: Any] = [
            "edition": edition,
            "person": [
                "firstName": "Zofia", "lastName": "Testowa-\(serial)", "pesel": TestPesel.valid(born: born, serial: 4000 + serial),
                "birthDate": born.description,
                "address": ["street": "ul. Świdnicka 1", "postalCode": "50-066", "city": "Wrocław"],
                "contact": ["phone": "+48 600 100 200"],
            ],
            "legallyIncapacitated": false,
            "certificate": ["kind": "degree", "degree": degree, "multipleDisabilities": multiple, "issuedOn": "2020-01-10", "permanent": true],
            "declaredNeeds": ["activities": ["self-care", "mobility"], "hoursPerMonth": 40],
            "documents": [
                ["kind": "certificate-copy", "fileName": "orzeczenie.pdf", "contentBase64": Data("%PDF-1.4 certificate".utf8).base64EncodedString()],
                ["kind": "application-form", "reference": "ePUAP/suite/\(serial)"],
            ] + (supportNeeds == nil ? [] : [["kind": "support-needs-assessment", "reference": "MZON/suite/\(serial)"]]),
        ]
        if let supportNeeds { form["supportNeeds"] = supportNeeds }
        let submitted = try await intake.json("POST", "/applications", form)
        #expect(submitted.status == 201, "\(submitted.body)")
        let applicationID = try #require(submitted.body["id"] as? String)
        return try await eventually { () -> [String: Any]? in
            let list = try await eligibility.json("GET", "/decisions?applicationID=\(applicationID)")
            return (list.body["decisions"] as? [[String: Any]])?.first
        }
    }

    /// A coordinator registers an assistant with the NGO, available every day.
    func assistant() async throws -> String {
        let slots = (1...7).map { ["weekday": $0, "from": "00:00", "to": "24:00"] as [String: Any] }
        let assistant = try await ordering.json(
            "POST", "/providers/\(Self.provider)/assistants", ["skills": [String](), "availability": slots, "excludedParticipants": [String]()],
            as: .coordinator)
        #expect(assistant.status == 201, "\(assistant.body)")
        return try #require(assistant.body["assistantID"] as? String)
    }

    /// A coordinator orders `from`–`to` on `day` and assigns the assistant.
    func assignedOrder(participant: String, assistant: String, day: CalendarDate, from: String, to: String) async throws -> String {
        let order = try await ordering.json(
            "POST", "/orders",
            [
                "participantID": participant, "date": day.description, "start": from, "end": to,
                "activity": "mobility", "place": "ul. Strzegomska 6, Wrocław", "requiredSkills": [String](),
            ], as: .coordinator)
        #expect(order.status == 201, "\(order.body)")
        let orderID = try #require(order.body["orderID"] as? String)
        let assigned = try await ordering.json(
            "POST", "/orders/\(orderID)/assignment", ["providerID": Self.provider, "assistantID": assistant], as: .coordinator)
        #expect(assigned.status == 200, "\(assigned.body)")
        return orderID
    }
}
