import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import Intake

/// The committed OpenAPI file documents exactly the routes the service serves.
@Suite struct IntakeOpenAPITests {
    @Test func everyServedRouteIsDocumentedAndViceVersa() async throws {
        let parts = try await IntakeService(settings: try await IntakeHTTPTests.settings(TestSettings.uniqueNamespace("intake-openapi")))
        let (served, documented) = try await OpenAPIPaths.servedAndDocumented(router: parts.router, app: try parts.application())
        #expect(documented.count > 5)
        #expect(served == documented)
    }
}
