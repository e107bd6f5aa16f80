import Foundation
import ServiceRuntime
import TestSupport
import Testing

/// What an operator sees when a service cannot start: its reason in one line
/// and exit status 1, not a crash report.
@Suite("A service that cannot start")
struct StartupFailureTests {
    @Test(
        "says why in one line and exits with status 1",
        arguments: [
            ("intake", "the setting 'intake.encryption_key' (or ASYSTA_INTAKE_ENCRYPTION_KEY) is required"),
            ("ordering", "the trusted keys hold a private key: a service needs only public keys, and must never hold a private one"),
            ("timesheet", "the trusted keys hold a private key: a service needs only public keys, and must never hold a private one"),
        ])
    func saysWhy(service: String, reason: String) async throws {
        let process = try await ServiceProcess(
            name: service, namespace: TestSettings.uniqueNamespace("startup"),
            settings: ["auth.jwks": TrustedTokenKeys.jwks([TestTokens.key.privateJWK])])
        let failure = await #expect(throws: ServiceProcess.Failure.self) { try await process.start(timeout: .seconds(30)) }
        #expect(failure?.description.contains("exited with status 1 ") == true, "\(failure?.description ?? "")")
        let log = try String(contentsOf: process.logFile, encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1, "\(log)")
        #expect(log.hasPrefix("\(service): \(reason)"), "\(log)")
    }
}
