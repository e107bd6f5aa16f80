import HTTPTypes
import HummingbirdTesting
import TestSupport

extension TestClientProtocol {
    /// As an operator, who reviews decisions.
    @discardableResult
    func json(
        _ method: HTTPRequest.Method, _ uri: String, body: (any Encodable)? = nil, raw: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        try await json(method, uri, body: body, raw: raw, headers: headers, as: .operator)
    }
}
