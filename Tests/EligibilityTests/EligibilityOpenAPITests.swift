import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import Eligibility

/// The committed OpenAPI file documents exactly the routes the service serves.
@Suite struct EligibilityOpenAPITests {
    @Test func everyServedRouteIsDocumentedAndViceVersa() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("elig-openapi")))
        let (served, documented) = try await OpenAPIPaths.servedAndDocumented(router: parts.router, app: try parts.application())
        #expect(documented.count > 5)
        #expect(served == documented)
    }
}
