import Foundation

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

    /// Case- and diacritics-insensitive, single spaces: "  WROCLAW " matches "Wrocław".
    /// "ł" has no Unicode decomposition, so it is mapped by hand.
    static func normalised(_ text: String) -> String {
        text.lowercased()
            .replacingOccurrences(of: "ł", with: "l")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "pl_PL"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
