import Foundation
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

/// Who may use reporting: operators and auditors read the reports (aggregates,
/// no personal data); only operators rebuild and see parked outbox events; coordinators and NGOs have no
/// access; nobody without a token.
@Suite struct ReportingAccessTests {
    @Test func everyRouteRefusesWhoMayNotUseIt() async throws {
        let settings = try await TestSettings.make(service: "reporting", namespace: TestSettings.uniqueNamespace("rep-access"))
        let service = try await ReportingService(settings: settings)
        let app = try service.application()
        let all = AccessChecks.operations(of: service.router)
        let reads = all.filter { $0.hasPrefix("GET /editions") }
        let rebuild = all.filter { $0.hasPrefix("POST /admin/rebuild") }
        let outbox = all.filter { $0.contains("/admin/outbox/") }
        try await app.test(.router) { client in
            #expect(reads.count == 9 && rebuild == ["POST /admin/rebuild"] && outbox.count == 2)
            #expect(try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: all, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            let others = [try await TestTokens.bearer(.coordinator), try await TestTokens.bearer(.provider, provider: "fundacja-imago")]
            for token in try await others + TestTokens.participantAndAssistant() {
                #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: all, authorization: token, client: client) == [])
            }
            let auditor = try await TestTokens.bearer(.auditor)
            #expect(
                try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: rebuild + outbox, authorization: auditor, client: client) == []
            )
            // Past the check: an unknown edition is not found, a bad database name is invalid.
            #expect(try await AccessChecks.notAnswering(.notFound, code: "not-found", to: reads, authorization: auditor, client: client) == [])
            let operatorToken = try await TestTokens.bearer(.operator)
            #expect(
                try await AccessChecks.notAnswering(
                    .unprocessableContent, code: "invalid-input", to: rebuild, authorization: operatorToken, client: client) == [])
        }
    }
}
