import Foundation
import Logging
import ServiceRuntime

/// Accounts made at start when missing, from `accounts.seed_file`: a new
/// deployment's first operator (who then invites everyone else), and the
/// demo's people. An existing sign-in name is left as it is, so restarting
/// changes nothing and a password changed since is kept.
struct SeedAccounts: Decodable {
    struct Entry: Decodable {
        var login: String
        var password: String
        var displayName: String
        var role: Role
        var provider: String?
        var assistant: String?
        var participant: String?
        var actsAs: String?
    }

    var accounts: [Entry]

    static func apply(settings: Settings, accounts store: AccountStore, hasher: PasswordHasher, logger: Logger) async throws {
        guard let path = settings.string("accounts.seed_file"), !path.isEmpty else { return }
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError.unreadable(path) }
        let seed: SeedAccounts
        do { seed = try JSONDecoder().decode(SeedAccounts.self, from: data) } catch {
            throw SettingsError.invalid("accounts.seed_file", "a JSON object {\"accounts\": [{login, password, displayName, role, …}]}")
        }
        var created = 0
        for entry in seed.accounts {
            guard try await store.credentials(login: entry.login) == nil else { continue }
            let invitee = Invitee(
                role: entry.role, displayName: entry.displayName, providerID: entry.provider, assistantID: entry.assistant,
                participantID: entry.participant, actsAs: entry.actsAs.flatMap(Account.ActsAs.init))
            if try await store.create(login: entry.login, passwordHash: try await hasher.hash(entry.password), as: invitee, invitedBy: "seed") != nil
            {
                created += 1
            }
        }
        if created > 0 { logger.info("seed accounts created", metadata: ["count": "\(created)"]) }
    }
}
