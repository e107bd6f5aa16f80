import ArgumentParser
import ServiceRuntime

extension Role: ExpressibleByArgument {}

/// Mints the bearer token a person or system sends to the services' APIs.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bearer token for a caller, signed with ASYSTA_AUTH_JWT_SECRET (the services' auth.jwt_secret)."
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
        let signer = await TokenSigner(secret: try Settings.load(arguments: []).jwtSecret())
        let caller = Caller(subject: subject ?? role.rawValue, role: role, provider: provider)
        print(try await signer.token(for: caller, lifetime: .seconds(ttlSeconds)))
    }
}
