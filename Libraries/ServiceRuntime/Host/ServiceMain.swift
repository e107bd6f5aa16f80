import Foundation
import Hummingbird

/// The body of every service executable: build the application from its
/// settings, serve until shutdown. A service that cannot start (bad settings,
/// a database that refuses a migration) says why in one line on standard error
/// and exits with status 1, instead of crashing with a backtrace.
public func serviceMain<App: ApplicationProtocol>(_ name: String, build: @Sendable (Settings) async throws -> App) async {
    do {
        let app = try await build(try Settings.load())
        try await app.runService()
    } catch {
        FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
        exit(1)
    }
}
