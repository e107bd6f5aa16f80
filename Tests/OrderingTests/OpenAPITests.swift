import Foundation
import HummingbirdTesting
import Testing

@testable import Ordering

@Suite("The OpenAPI document")
struct OpenAPITests {
    /// "METHOD /path" for every operation of openapi.yaml (read without a YAML library:
    /// paths sit at two spaces of indentation, methods at four).
    static func documentedRoutes() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Services/Ordering/openapi.yaml")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var routes = Set<String>()
        var path: String?
        var inPaths = false
        for line in lines {
            if line == "paths:" {
                inPaths = true
                continue
            }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    "), !line.hasPrefix("     "), let path,
                let method = ["get", "post", "put", "patch", "delete"].first(where: { trimmed == $0 + ":" })
            {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test("the routes served are exactly the routes documented")
    func routesMatch() async throws {
        let fixture = try await OrderingFixture.make("openapi")
        _ = try fixture.service.application()  // adds health and metrics to the router
        let served = Set(fixture.service.router.routes.map { "\($0.method) \($0.path)" })
        let documented = try Self.documentedRoutes()
        #expect(documented.count >= 14)
        #expect(served == documented)
    }

    @Test("the document is served")
    func served() async throws {
        let fixture = try await OrderingFixture.make("openapi-served")
        try await fixture.test { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
        }
    }
}
