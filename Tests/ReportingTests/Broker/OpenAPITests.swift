import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Reporting

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test("the routes the router registers are exactly the operations openapi.yaml documents")
    func routesMatch() async throws {
        let harness = try ReportingHarness.make("openapi")
        let service = try await ReportingService(settings: try await harness.settings())
        let (served, documented) = try await OpenAPIPaths.servedAndDocumented(router: service.router, app: try service.application())
        #expect(documented.contains("POST /admin/rebuild") && documented.contains("GET /editions/{editionID}/export.xlsx"))
        #expect(served == documented)
    }

    @Test("the document is served without a token, and operator actions are refused without an operator's token")
    func servedAndRebuildRefused() async throws {
        let harness = try ReportingHarness.make("openapi-served")
        let service = try await ReportingService(settings: try await harness.settings())
        try await service.application().test(.live) { client in
            let document = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(document.status == .ok)
            #expect(String(buffer: document.body).hasPrefix("openapi: 3.1"))
            let anonymous = try await client.execute(
                uri: "/admin/rebuild", method: .post, headers: [.authorization: "Bearer "], body: ByteBuffer(string: "{}"))
            #expect(anonymous.status == .unauthorized)
            #expect(String(buffer: anonymous.body).contains("unauthenticated"))
            let auditor = try await client.execute(
                uri: "/admin/rebuild", method: .post, headers: try await TestTokens.headers(.auditor), body: ByteBuffer(string: "{}"))
            #expect(auditor.status == .forbidden)
        }
    }
}
