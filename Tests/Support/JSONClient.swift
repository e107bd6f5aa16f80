import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceRuntime

/// JSON in and out of a test client, as a caller with a role's token.
extension TestClientProtocol {
    /// - Parameters:
    ///   - raw: a body sent as written (malformed JSON), instead of `body` encoded.
    ///   - role: who calls; nil sends no token.
    @discardableResult
    public func json(
        _ method: HTTPRequest.Method, _ uri: String, body: (any Encodable)? = nil, raw: String? = nil, headers: HTTPFields = [:],
        as role: Role?, provider: String? = nil, subject: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        var headers = headers
        headers[.contentType] = "application/json"
        if let role { headers[.authorization] = try await TestTokens.bearer(role, provider: provider, subject: subject) }
        let bytes: ByteBuffer? =
            if let raw { ByteBuffer(string: raw) } else if let body { ByteBuffer(bytes: try JSONEncoder().encode(body)) } else { nil }
        return try await execute(uri: uri, method: method, headers: headers, body: bytes) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The fields of an API error, in order.
    public var errorFields: [String] {
        ((self["error"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
    public var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
}
