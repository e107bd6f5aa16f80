import FoundationEssentials

/// Where the programme runs: a city (Wrocław by default) and, optionally, the
/// first two digits of its postcodes (50–54 for Wrocław).
struct ProgrammeArea: Sendable {
    var city: String
    var postcodePrefixes: [String]

    static let wroclaw = ProgrammeArea(city: "Wrocław", postcodePrefixes: ["50", "51", "52", "53", "54"])

    func containsCity(_ text: String) -> Bool { Self.normalised(text) == Self.normalised(city) }

    func containsPostcode(_ postcode: String) -> Bool {
        postcodePrefixes.isEmpty || postcodePrefixes.contains { postcode.hasPrefix($0) }
    }

    /// Case-insensitive, Polish letters read without their marks, single spaces:
    /// "  WROCLAW " matches "Wrocław". A `Character` compares canonically, so a mark typed
    /// as a combining character matches too.
    static func normalised(_ text: String) -> String {
        String(text.lowercased().map { plainLetters[$0] ?? $0 }).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let plainLetters: [Character: Character] = [
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
    ]
}
