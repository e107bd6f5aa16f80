import Foundation
import Hummingbird
import TestSupport
import Testing
@testable import Intake

/// The committed OpenAPI file documents exactly the routes the service serves.
@Suite struct IntakeOpenAPITests {
    @Test func everyServedRouteIsDocumentedAndViceVersa() async throws {
        let parts = try await buildParts(settings: try await IntakeHTTPTests.settings(TestSettings.uniqueNamespace("intake-openapi")))
        let app = try parts.host.application(router: parts.router)  // adds the shared health and metrics routes
        let served = Set(parts.router.routes.map { OpenAPIPaths.normalised(method: $0.method.rawValue, path: "\($0.path)") })
        // The document as the service serves it (from its bundle, a copy of Services/Intake/openapi.yaml).
        let text = try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { String(buffer: $0.body) }
        }
        let documented = OpenAPIPaths.operations(in: text)
        #expect(documented.count > 5)
        #expect(served == documented)
    }
}

/// A line scan of an OpenAPI file's `paths:` section: "METHOD /path/{param}".
enum OpenAPIPaths {
    static func operations(in text: String) -> Set<String> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var inPaths = false
        var path: String?
        var result = Set<String>()
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in lines {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, !first.isWhitespace { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    "), !line.hasPrefix("     "), trimmed.hasSuffix(":"), methods.contains(String(trimmed.dropLast())), let path {
                result.insert("\(trimmed.dropLast().uppercased()) \(path)")
            }
        }
        return result
    }

    /// Hummingbird's "/applications/:id" as OpenAPI's "/applications/{id}".
    static func normalised(method: String, path: String) -> String {
        let parts = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        return "\(method) /" + parts.joined(separator: "/")
    }
}
