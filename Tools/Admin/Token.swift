import ArgumentParser
import Foundation
import ServiceRuntime

extension Role: ExpressibleByArgument {}

/// Mints the bearer token a person or system sends to the services' APIs.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bearer token for a caller, signed with the private key of ASYSTA_AUTH_SIGNING_KEY_FILE (or ASYSTA_AUTH_SIGNING_KEY)."
    )
    @Option(help: "operator, coordinator, provider, auditor, assistant or participant.") var role: Role
    @Option(help: "The NGO's provider id; required for roles provider and assistant, refused for the others.") var provider: String?
    @Option(help: "The assistant's id; required for role assistant, refused for the others.") var assistant: String?
    @Option(help: "The participant's id; required for role participant, refused for the others.") var participant: String?
    @Option(help: "Who the token is for, for the audit trail (default: the role).") var subject: String?
    @Option(help: "How long the token is valid.") var ttlSeconds: Int = 3600

    func validate() throws {
        for (name, value) in [("provider", provider), ("assistant", assistant), ("participant", participant)] {
            let needed = role.bindings.contains(name)
            if needed, value?.isEmpty ?? true { throw ValidationError("role \(role.rawValue) needs --\(name) <id>") }
            if !needed, value != nil { throw ValidationError("--\(name) is not for role \(role.rawValue)") }
        }
        if ttlSeconds <= 0 { throw ValidationError("--ttl-seconds must be positive") }
    }

    func run() async throws {
        let signer = await TokenSigner(key: try Settings.load(arguments: []).signingKey())
        let caller = Caller(subject: subject ?? role.rawValue, role: role, provider: provider, assistant: assistant, participant: participant)
        print(try await signer.token(for: caller, lifetime: .seconds(ttlSeconds)))
    }
}
