import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceRuntime

/// Whether every route of a service refuses a caller it should refuse, asked
/// of the routes the service really serves, so a route added later without a
/// check fails its service's tests.
public enum AccessChecks {
    /// The routes anyone may call: probes, metrics and the API description.
    public static let openPaths: Set<String> = ["/health/live", "/health/ready", "/metrics", "/openapi.yaml"]

    /// The open routes (and a service's own, `also`) that did not answer 200 to a request without a token.
    public static func openRoutesRefusingAnonymous(client: some TestClientProtocol, also: [String] = []) async throws -> [String] {
        var wrong: [String] = []
        for path in openPaths.sorted() + also {
            var status = try await client.execute(uri: path, method: .get).status
            // Readiness is honestly 503 while the producer still connects (slow on a busy machine): ask again for 15 s.
            let deadline = ContinuousClock.now + .seconds(15)
            while path == "/health/ready", status == .serviceUnavailable, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.execute(uri: path, method: .get).status
            }
            if status != .ok { wrong.append("GET \(path) → \(status.code)") }
        }
        return wrong
    }

    /// The routes of a router as "METHOD /path", path parameters as Hummingbird writes them.
    public static func operations(of router: Router<some RequestContext>) -> [String] {
        router.routes.map { "\($0.method.rawValue) \($0.path)" }
    }

    /// The operations that did not answer `authorization` (nil: none) with
    /// `status` and `code`; a 401 must also carry `WWW-Authenticate: Bearer`.
    /// Open paths are skipped. Path parameters are filled with "x".
    public static func notAnswering(
        _ status: HTTPResponse.Status, code: String, to operations: [String], authorization: String?, client: some TestClientProtocol
    ) async throws -> [String] {
        var wrong: [String] = []
        for operation in operations {
            let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
            let path = "/" + parts[1].split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
            guard !openPaths.contains(path) else { continue }
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.authorization] = authorization
            let answer = try await client.execute(uri: path, method: HTTPRequest.Method(parts[0])!, headers: headers, body: ByteBuffer(string: "{}"))
            let challenged = status != .unauthorized || answer.headers[.wwwAuthenticate] == "Bearer"
            if answer.status != status || !String(buffer: answer.body).contains("\"code\":\"\(code)\"") || !challenged {
                wrong.append("\(operation) → \(answer.status.code)")
            }
        }
        return wrong
    }
}
