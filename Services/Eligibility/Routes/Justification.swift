import FoundationEssentials
import ServiceRuntime

/// Every operator action carries a reason, kept in the audit trail.
enum Justification {
    static func validate(_ text: String?) throws -> String {
        let trimmed = text?.trimmed ?? ""
        guard (1...2000).contains(trimmed.count) else {
            throw APIError.invalid([.init(field: "justification", message: "is required (1 to 2000 characters)")])
        }
        guard !trimmed.containsStrayControlCharacter else {
            throw APIError.invalid([.init(field: "justification", message: "must not contain control characters other than line breaks and tabs")])
        }
        return trimmed
    }
}
