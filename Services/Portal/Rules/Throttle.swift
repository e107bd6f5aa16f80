import Foundation
import ServiceRuntime

/// How many failed attempts the portal allows before it slows a guesser down,
/// from configuration (`throttle.*`). Counted from the sign-in audit trail,
/// so every replica sees the same counts.
struct Throttle: Sendable {
    /// Wrong passwords for one sign-in name (existing or not) within `window`
    /// before that name is refused until the oldest of them leaves the window.
    var perLogin: Int
    /// Failed sign-ins from one address within `window` before the address waits.
    var perAddress: Int
    /// Failed activation codes from one address within `window`.
    var activationsPerAddress: Int
    var window: Duration

    init(settings: Settings) throws {
        perLogin = try settings.int("throttle.per_login", default: 5)
        perAddress = try settings.int("throttle.per_address", default: 20)
        activationsPerAddress = try settings.int("throttle.activations_per_address", default: 10)
        window = .seconds(try settings.int("throttle.window_seconds", default: 900))
    }
}

/// A path of this site to go to after signing in: only a local one, so a link
/// cannot send a person who just signed in to another site.
enum LocalPath {
    static func checked(_ text: String, default fallback: String = "/start") -> String {
        guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), !text.contains("://"),
            text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "?" && $0 != "#" })
        else { return fallback }
        return text
    }
}
