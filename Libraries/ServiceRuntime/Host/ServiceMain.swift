import FoundationEssentials
import Glibc
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
        writeToStandardError(Data("\(name): \(error)\n".utf8))
        exit(1)
    }
}

/// Writes all of `bytes` to standard error (Foundation's `FileHandle` is not in
/// FoundationEssentials).
func writeToStandardError(_ bytes: Data) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 {
                guard written < 0, errno == EINTR else { return }
                continue
            }
            offset += written
        }
    }
}
