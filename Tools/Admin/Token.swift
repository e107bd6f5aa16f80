import ArgumentParser
import Foundation
import ServiceRuntime

extension Role: ExpressibleByArgument {}

/// Mints the bearer token a person or system sends to the services' APIs.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bearer token for a caller, signed with the private key of ASYSTA_AUTH_SIGNING_KEY_FILE (or ASYSTA_AUTH_SIGNING_KEY)."
    )
    @Option(help: "operator, coordinator, provider or auditor.") var role: Role
    @Option(help: "The NGO's provider id; required for role provider, refused for the others.") var provider: String?
    @Option(help: "Who the token is for, for the audit trail (default: the role).") var subject: String?
    @Option(help: "How long the token is valid.") var ttlSeconds: Int = 3600

    func validate() throws {
        if role == .provider, provider?.isEmpty ?? true { throw ValidationError("role provider needs --provider <provider id>") }
        if role != .provider, provider != nil { throw ValidationError("--provider is only for role provider") }
        if ttlSeconds <= 0 { throw ValidationError("--ttl-seconds must be positive") }
    }

    func run() async throws {
        let signer = await TokenSigner(key: try Settings.load(arguments: []).signingKey())
        let caller = Caller(subject: subject ?? role.rawValue, role: role, provider: provider)
        print(try await signer.token(for: caller, lifetime: .seconds(ttlSeconds)))
    }
}
