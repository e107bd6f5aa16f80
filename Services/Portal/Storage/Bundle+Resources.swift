import Foundation

extension Bundle {
    /// A directory or file the portal ships with (`Templates`, `Assets`); a missing
    /// one stops the start with its name instead of a crash or a later 404.
    func resource(_ name: String) throws -> URL {
        let file = name as NSString
        let found = url(forResource: file.deletingPathExtension, withExtension: file.pathExtension.isEmpty ? nil : file.pathExtension)
        guard let found else { throw MissingResource(name: name) }
        return found
    }
}

/// A resource the build should have bundled and did not.
struct MissingResource: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not in the executable's bundle" }
}
