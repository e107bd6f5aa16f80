import Domain
import Foundation
import ServiceRuntime
import TestSupport
import Testing

@testable import Intake

/// Who may use intake: coordinators and operators; nobody without a token;
/// neither auditors nor NGOs, since an application is personal data.
@Suite struct IntakeAccessTests {
    @Test func everyRouteRefusesAnonymousCallersAuditorsAndNGOs() async throws {
        let parts = try await IntakeService(settings: try await IntakeHTTPTests.settings(TestSettings.uniqueNamespace("intake-access")))
        let app = try parts.application()
        let operations = AccessChecks.operations(of: parts.router)
        try await app.test(.router) { client in
            #expect(operations.count >= 4)
            #expect(
                try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: operations, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            #expect(
                try await AccessChecks.notAnswering(
                    .unauthorized, code: "unauthenticated", to: operations, authorization: "Bearer forged.token.here", client: client) == [])
            let others = [try await TestTokens.bearer(.auditor), try await TestTokens.bearer(.provider, provider: "fundacja-imago")]
            for token in try await others + TestTokens.participantAndAssistant() {
                #expect(
                    try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: operations, authorization: token, client: client) == [])
            }
        }
    }

    @Test func anOperatorReadsWhatACoordinatorSubmitted() async throws {
        try await IntakeHTTPTests.withIntake { client, _ in
            let created = try await client.json(.post, "/applications", body: Fixtures.form(), as: .coordinator)
            let id = try #require(created.body["id"] as? String)
            #expect(try await client.json(.get, "/applications/\(id)", as: .operator).status == .ok)
            #expect(try await client.json(.get, "/applications/\(id)", as: .auditor).status == .forbidden)
            #expect(try await client.json(.post, "/applications/\(id)/withdrawal", as: .auditor).status == .forbidden)
            #expect(try await client.json(.get, "/applications/\(id)", as: nil).status == .unauthorized)
        }
    }
}
