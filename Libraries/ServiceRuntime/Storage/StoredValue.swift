import Domain
import Postgres

/// A domain value kept in a text or date column — ids, codes, months, days —
/// read back as `try row.decode(YearMonth.self, at: 3)`. One that no longer
/// parses (a row changed by hand, never input) throws the Postgres library's
/// one decoding error, naming the type and not the text (it may be personal data).
public protocol StoredValue: Sendable {
    init?(storedText: String)
}

extension StoredValue where Self: RawRepresentable, RawValue == String {
    public init?(storedText: String) { self.init(rawValue: storedText) }
}

extension StoredValue {
    public init(stored text: String) throws(PostgresDecodingError) {
        guard let value = Self(storedText: text) else { throw PostgresDecodingError(Self.self, reason: "unknown stored value") }
        self = value
    }
}

/// The wrapper the Postgres library decodes, so domain types stay free of I/O.
public struct Stored<Value: StoredValue>: PostgresDecodable, Sendable {
    public var value: Value
    public init(postgres text: String) throws(PostgresDecodingError) { value = try Value(stored: text) }
}

extension PostgresRow {
    public func decode<Value: StoredValue>(_: Value.Type, at index: Int) throws -> Value {
        try decode(Stored<Value>.self, at: index).value
    }

    public func decode<Value: StoredValue>(_: Value?.Type, at index: Int) throws -> Value? {
        try decode(Stored<Value>?.self, at: index)?.value
    }
}

// The domain's codes as their columns hold them. A code this build does not
// know is an error (the row was written by something else), never guessed.
extension Identifier: StoredValue {}
extension ActivityCategory: StoredValue {}
extension DecisionOutcome: StoredValue {}
extension DecisionReview: StoredValue {}
extension DocumentKind: StoredValue {}
extension OrderCancelled.CancelledBy: StoredValue {}
extension ParticipantGroup.Category: StoredValue {}
extension RejectionReason: StoredValue {}
extension Skill: StoredValue {}
extension CalendarDate: StoredValue {
    public init?(storedText: String) { self.init(storedText) }
}
extension YearMonth: StoredValue {
    public init?(storedText: String) { self.init(storedText) }
}
