import FoundationEssentials
import HTTPTypes
import Hummingbird

/// The only errors a client sees: a status, a stable code, a message a person
/// can act on and, for invalid input, one entry per field at fault. Anything
/// else thrown by a route becomes a bare 500, so internals never leak.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var fields: [FieldError]
    /// Extra machine-readable facts, e.g. the id of the existing application on a 409.
    public var details: [String: String]

    public init(_ status: HTTPResponse.Status, code: String, message: String, fields: [FieldError] = [], details: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.details = details
    }

    public static func invalid(_ fields: [FieldError]) -> APIError {
        APIError(.unprocessableContent, code: "invalid-input", message: "some fields are invalid", fields: fields)
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not-found", message: "\(what) was not found")
    }

    /// A known path asked with another method; `Allow` lists the ones it serves.
    public static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> APIError {
        let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        return APIError(.methodNotAllowed, code: "method-not-allowed", message: "this path answers \(allow) only", details: ["allow": allow])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorBody(
            error: .init(code: code, message: message, fields: fields.isEmpty ? nil : fields, details: details.isEmpty ? nil : details))
        let data = try JSONEncoder().encode(body)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        // RFC 9110: a 401 names the scheme the client must use.
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if status == .methodNotAllowed, let allow = details["allow"] { headers[.allow] = allow }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `{"error": {"code", "message", "fields", "details"}}`: one shape for every error of every service.
private struct ErrorBody: Encodable {
    struct Inner: Encodable {
        var code: String
        var message: String
        var fields: [APIError.FieldError]?
        var details: [String: String]?
    }

    var error: Inner
}
