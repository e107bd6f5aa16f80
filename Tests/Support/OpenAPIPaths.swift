import Foundation
import Hummingbird
import HummingbirdTesting

/// A line scan of an OpenAPI file's `paths:` section: "METHOD /path/{param}".
/// Every service's OpenAPI test compares it with the routes its router registers.
public enum OpenAPIPaths {
    public static func operations(in text: String) -> Set<String> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var inPaths = false
        var path: String?
        var result = Set<String>()
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in lines {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, let first = line.first, !first.isWhitespace { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    "), !line.hasPrefix("     "), trimmed.hasSuffix(":"), methods.contains(String(trimmed.dropLast())), let path {
                result.insert("\(trimmed.dropLast().uppercased()) \(path)")
            }
        }
        return result
    }

    /// Hummingbird's "/applications/:id" as OpenAPI's "/applications/{id}".
    public static func normalised(method: String, path: String) -> String {
        let parts = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        return "\(method) /" + parts.joined(separator: "/")
    }
}

extension OpenAPIPaths {
    /// The routes `router` registers, and the operations of the OpenAPI document the
    /// application serves (from its bundle, a copy of `Services/<Name>/openapi.yaml`).
    /// Build `app` from `router` first: that adds the routes every service shares.
    public static func servedAndDocumented<Context: RequestContext>(
        router: Router<Context>, app: some ApplicationProtocol
    ) async throws
        -> (served: Set<String>, documented: Set<String>)
    {
        let served = Set(router.routes.map { normalised(method: $0.method.rawValue, path: "\($0.path)") })
        let text = try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { String(buffer: $0.body) }
        }
        return (served, operations(in: text))
    }
}
