import Foundation
import Postgres

extension Bundle {
    /// A file the executable ships with (`openapi.yaml`); a missing one stops the
    /// start with its name instead of a crash or a later 404.
    public func resource(_ name: String) throws -> URL {
        let file = name as NSString
        let found = url(forResource: file.deletingPathExtension, withExtension: file.pathExtension.isEmpty ? nil : file.pathExtension)
        guard let found else { throw MissingResource(name: name) }
        return found
    }

    /// The executable's own migrations, `Migrations/NNNN_name.sql`.
    public func migrations() throws -> [Migration] {
        try MigrationRunner.load(from: try resource("Migrations"))
    }
}

/// A resource the build should have bundled and did not.
public struct MissingResource: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "\(name) is not in the executable's bundle" }
}
