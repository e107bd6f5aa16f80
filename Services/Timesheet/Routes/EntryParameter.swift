import FoundationEssentials
import ServiceRuntime

extension CallerRequestContext {
    /// The path's `entryID`: an NGO's own id, whose slashes ("KRU/2022/06/0147") arrive escaped as `%2F`.
    func entryIDParameter() throws -> String {
        let raw = try parameters.require("entryID")
        return PathSegment.decoded(raw) ?? raw
    }
}
