/// The reporting and hour-cap group a participant falls in, fixed at the grant.
public struct ParticipantGroup: Hashable, Codable, Sendable, CustomStringConvertible {
    public enum Category: String, Codable, Sendable, CaseIterable {
        case child
        case adultSignificant = "adult-significant"
        case adultModerate = "adult-moderate"
    }

    public var category: Category
    /// Niepełnosprawność sprzężona.
    public var multipleDisabilities: Bool

    public init(category: Category, multipleDisabilities: Bool) {
        self.category = category
        self.multipleDisabilities = multipleDisabilities
    }

    public var description: String { category.rawValue + (multipleDisabilities ? "+multiple" : "") }
}
