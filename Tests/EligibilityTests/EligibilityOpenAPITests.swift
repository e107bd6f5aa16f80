import Foundation
import Hummingbird
import TestSupport
import Testing
@testable import Eligibility

/// The committed OpenAPI file documents exactly the routes the service serves.
@Suite struct EligibilityOpenAPITests {
    @Test func everyServedRouteIsDocumentedAndViceVersa() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("elig-openapi")))
        let app = try parts.application()  // adds the shared health and metrics routes
        let served = Set(parts.router.routes.map { OpenAPIPaths.normalised(method: $0.method.rawValue, path: "\($0.path)") })
        // The document as the service serves it (from its bundle, a copy of Services/Eligibility/openapi.yaml).
        let text = try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { String(buffer: $0.body) }
        }
        let documented = OpenAPIPaths.operations(in: text)
        #expect(documented.count > 5)
        #expect(served == documented)
    }
}
