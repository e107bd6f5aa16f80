import Domain

/// Why an incoming record is not an event we accept. The `code` is stable: it
/// goes into dead-letter headers and NGO answers, so senders can act on it.
public struct EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case malformedJSON = "malformed-json"
        case tooLarge = "too-large"
        case unsupportedVersion = "unsupported-specversion"
        case unknownType = "unknown-type"
        case typeMismatch = "type-mismatch"
        case missingField = "missing-field"
        case wrongFieldType = "wrong-field-type"
        case invalidValue = "invalid-value"
    }

    public var code: Code
    /// A message a person can act on; it never echoes more than a short prefix of the input.
    public var message: String
    /// The JSON path of the field at fault, when there is one ("data.start").
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    init(_ error: DecodingError) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacing(".[", with: "[")
        }
        switch error {
        case let .typeMismatch(_, context) where context.codingPath.isEmpty,
            let .valueNotFound(_, context) where context.codingPath.isEmpty:
            self.init(.malformedJSON, "the event must be a JSON object")
        case let .keyNotFound(key, context):
            let field = path(context.codingPath, key)
            self.init(.missingField, "the required field '\(field)' is missing", field: field)
        case let .valueNotFound(_, context):
            let field = path(context.codingPath)
            self.init(.missingField, "the required field '\(field)' is null", field: field)
        case let .typeMismatch(type, context):
            let field = path(context.codingPath)
            self.init(.wrongFieldType, "the field '\(field)' must be \(Self.jsonName(of: type))", field: field)
        case let .dataCorrupted(context) where context.codingPath.isEmpty:
            self.init(.malformedJSON, "the event is not valid JSON")
        case let .dataCorrupted(context):
            let field = path(context.codingPath)
            if field == "specversion" {
                self.init(.unsupportedVersion, context.debugDescription, field: field)
            } else {
                self.init(.invalidValue, "the field '\(field)' is invalid: \(context.debugDescription)", field: field)
            }
        @unknown default:
            self.init(.malformedJSON, "the event could not be decoded")
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        // Dictionary is a Collection too: test for it before arrays.
        case is [String: Any].Type, is [String: any Sendable].Type: "an object"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
