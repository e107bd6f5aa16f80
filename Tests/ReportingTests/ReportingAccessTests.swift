import Foundation
import HummingbirdTesting
@testable import Reporting
import ServiceRuntime
import TestSupport
import Testing

/// Who may use reporting: operators and auditors read the reports (aggregates,
/// no personal data); only operators rebuild; coordinators and NGOs have no
/// access; nobody without a token.
@Suite struct ReportingAccessTests {
    static let reads = ["GET /editions/x/report", "GET /editions/x/export.json", "GET /editions/x/export.csv", "GET /editions/x/export.xlsx"]
    static let rebuild = "POST /admin/rebuild"

    @Test func everyRouteRefusesWhoMayNotUseIt() async throws {
        let settings = try await TestSettings.make(service: "reporting", namespace: TestSettings.uniqueNamespace("rep-access"))
        let app = try await buildApplication(settings: settings)
        try await app.test(.router) { client in
            let all = Self.reads + [Self.rebuild]
            #expect(try await AccessChecks.notAnswering(.unauthorized, code: "unauthenticated", to: all, authorization: nil, client: client) == [])
            #expect(try await AccessChecks.openRoutesRefusingAnonymous(client: client) == [])
            for token in [try await TestTokens.bearer(.coordinator), try await TestTokens.bearer(.provider, provider: "fundacja-imago")] {
                #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: all, authorization: token, client: client) == [])
            }
            let auditor = try await TestTokens.bearer(.auditor)
            #expect(try await AccessChecks.notAnswering(.forbidden, code: "forbidden", to: [Self.rebuild], authorization: auditor, client: client) == [])
            // Past the check: an unknown edition is not found, a bad database name is invalid.
            #expect(try await AccessChecks.notAnswering(.notFound, code: "not-found", to: Self.reads, authorization: auditor, client: client) == [])
            let operatorToken = try await TestTokens.bearer(.operator)
            #expect(try await AccessChecks.notAnswering(.unprocessableContent, code: "invalid-input", to: [Self.rebuild], authorization: operatorToken, client: client) == [])
        }
    }
}
