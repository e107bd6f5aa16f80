import Foundation
import ServiceRuntime
import TestSupport
import Testing

@testable import Eligibility

/// Who may use eligibility: operators act; coordinators and auditors only read;
/// NGOs have no access; nobody without a token.
@Suite struct EligibilityAccessTests {
    @Test func everyRouteRefusesWhoMayNotUseIt() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("elig-access")))
        let app = try parts.application()
        let operations = AccessChecks.operations(of: parts.router)
        let writes = operations.filter { $0.hasPrefix("POST ") }
        try await app.test(.router) { client in
            #expect(operations.count >= 7 && writes.count >= 4)
            #expect(
                try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: operations, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            for token in try await [TestTokens.bearer(.provider, provider: "fundacja-imago")] + TestTokens.participantAndAssistant() {
                #expect(
                    try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: operations, authorization: token, client: client) == [])
            }
            for role in [Role.auditor, .coordinator] {
                let token = try await TestTokens.bearer(role)
                #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: writes, authorization: token, client: client) == [])
            }
            // Reading is allowed: the list answers (empty) rather than refusing.
            #expect(try await client.json(.get, "/decisions", as: .auditor).status == .ok)
            #expect(try await client.json(.get, "/decisions", as: .coordinator).status == .ok)
        }
    }
}
