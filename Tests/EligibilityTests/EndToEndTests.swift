import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Eligibility
@testable import Intake

/// Intake and eligibility running in-process against their own databases and the
/// real test broker: applications go in over HTTP, decisions and grants come out
/// on the broker.
@Suite struct EndToEndTests {
    let namespace = TestSettings.uniqueNamespace("ie-e2e")
    let editionID = "e2e"

    /// The topics both services use in this test, as an outside observer reads them.
    struct Topics: Sendable {
        var applications: ObservedTopic
        var decisions: ObservedTopic
        var editions: ObservedTopic
        var all: [ObservedTopic] { [applications, decisions, editions] }
    }

    /// Runs both services while observing their topics; the closure gets a client for
    /// each and the topics. Once the services have stopped, no event on any topic may
    /// carry the personal data of `forms`.
    func withServices(
        noPersonalDataOf forms: [ApplicationForm] = [],
        _ test: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, Topics) async throws -> Void
    ) async throws {
        var intakeSettings = try await TestSettings.make(
            service: "intake", namespace: namespace,
            extra: [
                "intake.encryption_key": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
                "intake.hash_key": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            ])
        intakeSettings.set("log.level", "warning")
        // Building each application creates its topics, so the observer can subscribe after.
        let intake = try await Intake.buildApplication(settings: intakeSettings)
        let eligibility = try await Eligibility.buildApplication(
            settings: try await EligibilityFixtures.settings(namespace, editions: [EligibilityFixtures.edition(id: editionID)]))
        let names = [Topic.applications, .decisions, .editions].map { "\(namespace).\($0.name)" }
        try await BrokerObserver.observing(names) { observer in
            let topics = Topics(applications: observer.topic(names[0]), decisions: observer.topic(names[1]), editions: observer.topic(names[2]))
            // HummingbirdTesting's .router mode runs the application's services too (pool, producer, relay, consumers).
            try await intake.test(.router) { intakeClient in
                try await eligibility.test(.router) { eligibilityClient in
                    try await test(intakeClient, eligibilityClient, topics)
                }
            }
            if !forms.isEmpty { try await Self.expectNoPersonalData(of: forms, on: topics) }
        }
    }

    /// A form for this edition, decided today: an adult unless changed.
    func form(serial: Int, _ change: (inout ApplicationForm) -> Void = { _ in }) -> ApplicationForm {
        var form = Fixtures.form(edition: editionID, serial: serial)
        form.person.firstName = "Zofia\(serial)"
        form.person.lastName = "Kowalczyk\(serial)"
        change(&form)
        return form
    }

    /// Waits for eligibility's decision on an application (its automatic one, or a later state).
    func decision(
        of applicationID: String, on client: any TestClientProtocol, until done: ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let list = try await client.json(.get, "/decisions?applicationID=\(applicationID)", as: .operator)
            if let decision = (list.body["decisions"] as? [[String: Any]])?.first, done(decision) { return decision }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no decision on \(applicationID)")
        throw CancellationError()
    }

    @Test func aGrantAndARejectionTravelThroughTheBrokerWithoutPersonalData() async throws {
        // Granted: an adult, moderate degree with multiple disabilities, 30 h a month.
        let adult = form(serial: 1001) { form in
            form.certificate.degree = .moderate
            form.certificate.multipleDisabilities = true
            form.declaredNeeds.hoursPerMonth = 30
        }
        // Rejected: a child's certificate with one indication, held by an adult.
        let child = form(serial: 1002) { form in
            form.certificate = CertificateForm(
                kind: .childDisability, degree: nil, indications: Indications(constantCare: true, carerParticipation: false),
                multipleDisabilities: false, issuedOn: CalendarDate("2000-01-01")!, validUntil: nil, permanent: true)
        }
        let forms = [adult, child]
        try await withServices(noPersonalDataOf: forms) { intake, eligibility, topics in
            let grantedID = try #require(try await intake.json(.post, "/applications", body: adult, as: .operator).body["id"] as? String)
            let rejectedID = try #require(try await intake.json(.post, "/applications", body: child, as: .operator).body["id"] as? String)

            // The automatic decisions wait for an operator.
            let automatic = try await decision(of: grantedID, on: eligibility)
            #expect(automatic["outcome"] as? String == "granted")
            #expect(automatic["review"] as? String == "automatic")
            let rejected = try await decision(of: rejectedID, on: eligibility)
            #expect(rejected["outcome"] as? String == "rejected")
            #expect(rejected["reasons"] as? [String] == ["child-without-both-indications", "too-old-for-child-certificate"])
            let awaiting = try await eligibility.json(.get, "/decisions?awaitingReview=true&edition=\(editionID)", as: .operator)
            #expect(
                Set((awaiting.body["decisions"] as? [[String: Any]] ?? []).compactMap { $0["applicationID"] as? String }) == [grantedID, rejectedID])
            #expect(awaiting.body["total"] as? Int == 2)
            // The queue by outcome and by group, as the operators' page filters it; the total counts every page.
            let refusals = try await eligibility.json(
                .get, "/decisions?awaitingReview=true&edition=\(editionID)&outcome=rejected&limit=1", as: .auditor)
            #expect((refusals.body["decisions"] as? [[String: Any]])?.map { $0["applicationID"] as? String } == [rejectedID])
            #expect(refusals.body["total"] as? Int == 1)
            let category = try #require((automatic["group"] as? [String: Any])?["category"] as? String)
            let ofGroup = try await eligibility.json(.get, "/decisions?awaitingReview=true&edition=\(editionID)&group=\(category)", as: .operator)
            #expect((ofGroup.body["decisions"] as? [[String: Any]])?.map { $0["applicationID"] as? String } == [grantedID])
            #expect(try await eligibility.json(.get, "/decisions?group=teenager", as: .operator).body.errorFields == ["group"])
            #expect(try await eligibility.json(.get, "/decisions?outcome=maybe", as: .operator).body.errorFields == ["outcome"])
            let firstPage = try await eligibility.json(.get, "/decisions?awaitingReview=true&edition=\(editionID)&limit=1", as: .coordinator)
            #expect((firstPage.body["decisions"] as? [Any])?.count == 1 && firstPage.body["total"] as? Int == 2 && firstPage.body["next"] != nil)

            // Confirming needs an operator and a justification.
            let grantDecisionID = automatic["id"] as! String
            #expect(
                try await eligibility.json(.post, "/decisions/\(grantDecisionID)/confirmation", body: ["justification": "ok"], as: nil).status
                    == .unauthorized)
            for role in [Role.coordinator, .auditor] {
                #expect(
                    try await eligibility.json(.post, "/decisions/\(grantDecisionID)/confirmation", body: ["justification": "ok"], as: role).status
                        == .forbidden)
            }
            #expect(
                try await eligibility.json(
                    .post, "/decisions/\(grantDecisionID)/confirmation", body: ["justification": " "], as: .operator, subject: "operator.anna"
                ).body.errorFields == ["justification"])
            let confirmed = try await eligibility.json(
                .post, "/decisions/confirmations",
                body: BulkForm(decisionIDs: [grantDecisionID, rejected["id"] as! String], justification: "documents checked"),
                as: .operator, subject: "operator.anna")
            #expect(confirmed.status == .ok)
            #expect(confirmed.body["granted"] as? Int == 1 && confirmed.body["rejected"] as? Int == 1)
            let again = try await eligibility.json(
                .post, "/decisions/\(grantDecisionID)/confirmation", body: ["justification": "twice"], as: .operator, subject: "operator.anna")
            #expect(again.status == .conflict)

            // The grant on the broker: 480 h a year pro-rated to the months left, capped by 30 h a month.
            let today = EligibilityFixtures.today
            let months = 12 - today.month + 1
            let grant = try #require(
                try await topics.decisions.waitFor {
                    $0.eventType == "asysta.eligibility.SupportGranted.v1" && $0.payload["applicationID"] as? String == grantedID
                })
            #expect(grant.payload["hours"] as? Int == min(30 * months, 480 * months / 12))
            // The decision says how: the cap over the months, the need, the figure granted.
            let decision = try await eligibility.json(.get, "/decisions/\(grantDecisionID)", as: .operator)
            let basis = try #require(decision.body["hoursBasis"] as? [String: Any], "\(decision.body)")
            #expect(basis["annualCap"] as? Int == 480 && basis["months"] as? Int == months && basis["declaredHoursPerMonth"] as? Int == 30)
            #expect(basis["hours"] as? Int == decision.body["hours"] as? Int)
            #expect(
                (basis["explanation"] as? String)?.hasPrefix(
                    "480 h rocznie × \(months)/12 miesięcy = \(480 * months / 12) h; zadeklarowana potrzeba 30 h miesięcznie") == true, "\(basis)")
            let group = grant.payload["group"] as? [String: Any]
            #expect(group?["category"] as? String == "adult-moderate")
            #expect(group?["multipleDisabilities"] as? Bool == true)
            #expect(grant.payload["period"] as? [String: String] == ["start": today.description, "end": "\(today.year)-12-31"])

            // The rejection on the broker, confirmed, with its reasons.
            let rejection = try #require(
                try await topics.decisions.waitFor {
                    $0.eventType == "asysta.eligibility.EligibilityDecided.v1" && $0.payload["applicationID"] as? String == rejectedID
                        && $0.payload["review"] as? String == "confirmed"
                })
            #expect(rejection.payload["outcome"] as? String == "rejected")
            #expect(rejection.payload["reasons"] as? [String] == ["child-without-both-indications", "too-old-for-child-certificate"])
            #expect(
                try await topics.decisions.events().filter {
                    $0.eventType == "asysta.eligibility.SupportGranted.v1" && $0.payload["applicationID"] as? String == rejectedID
                }.isEmpty)

            // The audit trail names the operator (their token's subject); an auditor reads it.
            let audit = try await eligibility.execute(
                uri: "/decisions/\(grantDecisionID)/audit", method: .get,
                headers: [.authorization: try await TestTokens.bearer(.auditor)]
            ) { try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] }
            #expect(audit?.first?["operatorName"] as? String == "operator.anna")
            #expect(audit?.first?["justification"] as? String == "documents checked")

            // Withdrawing the application revokes the grant.
            _ = try await intake.json(.post, "/applications/\(grantedID)/withdrawal", as: .operator)
            let revoked = try await topics.decisions.waitFor {
                $0.eventType == "asysta.eligibility.SupportRevoked.v1" && $0.payload["grantID"] as? String == grant.payload["grantID"] as? String
            }
            #expect(revoked != nil)
        }
    }

    @Test func waitingForDocumentsIsReDecidedWhenTheyArrive() async throws {
        let form = form(serial: 2001) { $0.documents = [$0.documents![1]] }  // the application form only
        let forms = [form]
        try await withServices(noPersonalDataOf: forms) { intake, eligibility, topics in
            let id = try #require(try await intake.json(.post, "/applications", body: form, as: .operator).body["id"] as? String)
            let waiting = try await decision(of: id, on: eligibility)
            #expect(waiting["outcome"] as? String == "waiting-for-documents")
            #expect(waiting["missingDocuments"] as? [String] == ["certificate-copy"])
            _ = try await intake.json(
                .post, "/applications/\(id)/documents", body: DocumentForm(kind: .certificateCopy, reference: "scan 17"), as: .operator)
            let granted = try await decision(of: id, on: eligibility) { $0["outcome"] as? String == "granted" }
            #expect(granted["review"] as? String == "automatic")
            #expect(granted["id"] as? String == waiting["id"] as? String)
        }
    }

    @Test func anOverrideNeedsAJustificationAndPublishesTheGrant() async throws {
        let mild = form(serial: 3001) { $0.certificate.degree = .mild }
        try await withServices(noPersonalDataOf: [mild]) { intake, eligibility, topics in
            let id = try #require(try await intake.json(.post, "/applications", body: mild, as: .operator).body["id"] as? String)
            let decision = try await decision(of: id, on: eligibility)
            #expect(decision["reasons"] as? [String] == ["degree-not-accepted"])
            let decisionID = decision["id"] as! String
            let withoutGroup = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(outcome: "granted", hours: 100, group: nil, justification: "appeal upheld"), as: .operator,
                subject: "operator.anna")
            #expect(withoutGroup.body.errorFields == ["group"])
            let tooMany = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(
                    outcome: "granted", hours: 53_395_905_834_422_144,
                    group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false), justification: "appeal upheld"),
                as: .operator, subject: "operator.anna")
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.body.errorFields == ["hours"])
            let outsideTheEdition = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(
                    outcome: "granted", hours: 100, group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false),
                    period: DateRange(start: CalendarDate(year: 196, month: 6, day: 17)!, end: CalendarDate(year: 708, month: 12, day: 21)!),
                    justification: "appeal upheld"),
                as: .operator, subject: "operator.anna")
            #expect(outsideTheEdition.status == .unprocessableContent)
            #expect(outsideTheEdition.body.errorFields == ["period"])
            let overridden = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(
                    outcome: "granted", hours: 100, group: ParticipantGroup(category: .adultModerate, multipleDisabilities: false),
                    justification: "appeal upheld"),
                as: .operator, subject: "operator.anna")
            #expect(overridden.status == .ok)
            #expect(overridden.body["review"] as? String == "overridden")
            let grantID = try #require(overridden.body["grantID"] as? String)
            let grant = try await topics.decisions.waitFor {
                $0.eventType == "asysta.eligibility.SupportGranted.v1" && $0.payload["grantID"] as? String == grantID
            }
            #expect(grant?.payload["hours"] as? Int == 100)
            let revoked = try await eligibility.json(
                .post, "/grants/\(grantID)/revocation", body: ["justification": "moved away"], as: .operator, subject: "operator.anna")
            #expect(revoked.status == .ok)
            #expect(
                try await eligibility.json(
                    .post, "/grants/\(grantID)/revocation", body: ["justification": "again"], as: .operator, subject: "operator.anna"
                ).status == .conflict)
            // A revoked decision is final: no override brings the grant back.
            let regrant = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(outcome: "granted", hours: 50, group: nil, justification: "second appeal"), as: .operator, subject: "operator.anna"
            )
            #expect(regrant.status == .conflict)
            #expect(regrant.body.errorCode == "decision-revoked")
            let reject = try await eligibility.json(
                .post, "/decisions/\(decisionID)/override",
                body: OverrideBody(outcome: "rejected", hours: nil, group: nil, justification: "closing"), as: .operator, subject: "operator.anna")
            #expect(reject.body.errorCode == "decision-revoked")
            let after = try await eligibility.json(.get, "/decisions/\(decisionID)", as: .operator)
            #expect(after.body["outcome"] as? String == "granted")
            #expect(after.body["hours"] as? Int == 100)
            #expect(
                try await topics.decisions.waitFor {
                    $0.eventType == "asysta.eligibility.SupportRevoked.v1" && $0.payload["grantID"] as? String == grantID
                } != nil)
        }
    }

    @Test func editionsArePublishedOnceUntilTheyChange() async throws {
        try await withServices { _, _, topics in
            let published = try await topics.editions.waitFor { $0.eventType == "asysta.eligibility.EditionPublished.v1" }
            #expect((published?.payload["rules"] as? [String: Any])?["id"] as? String == editionID)
        }
    }

    /// No event on any topic of the test carries a PESEL, a name, an address or a contact.
    static func expectNoPersonalData(of forms: [ApplicationForm], on topics: Topics) async throws {
        var texts: [String] = []
        for topic in topics.all { texts += try await topic.texts() }
        #expect(!texts.isEmpty)
        let all = texts.joined(separator: "\n")
        for form in forms {
            let person = form.person
            for secret in [
                person.pesel, person.firstName, person.lastName, person.address.street,
                person.contact.email ?? "-", person.contact.phone ?? "-", person.birthDate.description,
            ] {
                #expect(!all.contains(secret), "an event carries personal data")
            }
        }
    }
}

struct BulkForm: Encodable {
    var decisionIDs: [String]
    var justification: String
}

struct OverrideBody: Encodable {
    var outcome: String
    var hours: Int?
    var group: ParticipantGroup?
    var period: DateRange? = nil
    var justification: String
}

extension DocumentForm {
    init(kind: DocumentKind, reference: String) {
        self.init(kind: kind, fileName: nil, contentBase64: nil, reference: reference)
    }
}
