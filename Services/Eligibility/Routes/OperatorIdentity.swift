import HTTPTypes
import Hummingbird
import ServiceRuntime

/// Who is acting. Until authentication lands (JWT bearer tokens with roles), the
/// operator names themself in the `X-Operator` header; this is the one place to
/// swap for the token's subject.
enum OperatorIdentity {
    static let header = HTTPField.Name("X-Operator")!

    static func require(_ request: Request) throws -> String {
        guard let name = request.headers[header]?.trimmingCharacters(in: .whitespaces), (1...100).contains(name.count) else {
            throw APIError(.unauthorized, code: "operator-required", message: "name the operator in the X-Operator header")
        }
        return name
    }
}

/// Every operator action carries a reason, kept in the audit trail.
enum Justification {
    static func validate(_ text: String?) throws -> String {
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...2000).contains(trimmed.count) else {
            throw APIError.invalid([.init(field: "justification", message: "is required (1 to 2000 characters)")])
        }
        return trimmed
    }
}
