import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Mustache
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// Wires the portal and returns it as an application.
func buildApplication(settings: Settings) async throws -> some ApplicationProtocol {
    try await PortalService(settings: settings).application()
}

/// The portal's parts, kept apart so tests reach its router and storage. It
/// has a database of its own and no broker: everything it shows or changes
/// goes through the five services' public APIs.
struct PortalService {
    let core: ServiceCore
    let database: ServiceDatabase
    let accounts: AccountStore
    let sessions: SessionStore
    let hasher: PasswordHasher
    let router: Router<PortalRequestContext>

    init(settings: Settings, hasher: PasswordHasher = PasswordHasher()) async throws {
        let publicURL = settings.string("portal.public_url", default: "http://127.0.0.1:8080")
        let cookies = CookieNames(secure: try Self.servedSecurely(publicURL))
        // Before anything connects: a portal that cannot sign tokens must not start.
        let signer = await TokenSigner(key: try settings.signingKey())
        core = try await ServiceCore(name: "portal", settings: settings)
        database = try await ServiceDatabase(core: core, migrations: try MigrationRunner.parse(EmbeddedFiles.migrations))
        accounts = AccountStore(pool: database.pool)
        sessions = SessionStore(
            pool: database.pool, idle: .seconds(60 * (try settings.int("session.idle_minutes", default: 30))),
            absolute: .seconds(3600 * (try settings.int("session.absolute_hours", default: 12))))
        self.hasher = hasher
        try await SeedAccounts.apply(settings: settings, accounts: accounts, hasher: hasher, logger: core.logger)

        var baseURLs: [Backend: String] = [:]
        for backend in Backend.allCases { baseURLs[backend] = try settings.require("services.\(backend.rawValue).url") }
        let services = ServiceClient(baseURLs: baseURLs, signer: signer, http: HTTPClient.shared)
        let pages = Pages(
            library: try await MustacheLibrary(directory: try Bundle.module.resource("Templates").path), site: SiteInfo(settings: settings))
        let assets = try Bundle.module.resource("Assets")
        let policy = PasswordPolicy(commonPasswords: try String(contentsOf: assets.appendingPathComponent("common-passwords.txt"), encoding: .utf8))
        let throttle = try Throttle(settings: settings)
        let clock = try settings.programmeClock()
        let oidc = try OIDCSettings(settings: settings).map { OIDCProvider(settings: $0, http: HTTPClient.shared) }

        router = Router(context: PortalRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(sessions: sessions, cookies: cookies))
        router.add(middleware: ErrorPagesMiddleware(pages: pages, sessions: sessions))
        router.add(middleware: CSRFMiddleware())
        let signIn = SignInRoutes(
            pages: pages, accounts: accounts, sessions: sessions, hasher: hasher, cookies: cookies, throttle: throttle,
            oidcLabel: oidc?.settings.label)
        router.addRoutes(signIn.collection)
        if let oidc {
            router.addRoutes(
                OIDCRoutes(pages: pages, accounts: accounts, provider: oidc, signIn: signIn, redirectURI: publicURL + OIDCRoutes.callbackPath)
                    .collection)
        }
        router.addRoutes(
            ActivationRoutes(pages: pages, accounts: accounts, hasher: hasher, policy: policy, throttle: throttle, signIn: signIn).collection)
        router.addRoutes(HomeRoutes(pages: pages, services: services, clock: clock, accounts: accounts).collection)
        router.addRoutes(ParticipantOrderRoutes(pages: pages, services: services, clock: clock, accounts: accounts).collection)
        router.addRoutes(ParticipantCardRoutes(pages: pages, services: services, clock: clock, accounts: accounts).collection)
        let entries = EntryChanges(services: services)
        router.addRoutes(AssistantVisitRoutes(pages: pages, services: services, clock: clock, entries: entries, accounts: accounts).collection)
        router.addRoutes(ProviderEntryRoutes(pages: pages, services: services, entries: entries, accounts: accounts).collection)
        router.addRoutes(ProviderAssistantRoutes(pages: pages, services: services, clock: clock, accounts: accounts).collection)
        router.addRoutes(MonthRoutes(pages: pages, services: services, clock: clock).collection)
        router.addRoutes(DecisionRoutes(pages: pages, services: services, accounts: accounts, clock: clock).collection)
        router.addRoutes(ReportRoutes(pages: pages, services: services, clock: clock).collection)
        router.addRoutes(AssignmentRoutes(pages: pages, services: services, accounts: accounts, clock: clock).collection)
        router.addRoutes(OperationsRoutes(pages: pages, services: services).collection)
        router.addRoutes(ApplicationRoutes(pages: pages, services: services, clock: clock).collection)
        router.addRoutes(SigningKeyRoutes(pages: pages, services: services).collection)
        router.addRoutes(ParticipantSearchRoutes(pages: pages, services: services, accounts: accounts, clock: clock).collection)
        router.addRoutes(StaffOrderRoutes(pages: pages, services: services, accounts: accounts).collection)
        router.addRoutes(
            InvitationRoutes(
                pages: pages, accounts: accounts, services: services,
                validity: .seconds(86400 * (try settings.int("activation.validity_days", default: 30)))
            ).collection)
        router.addRoutes(
            InformationRoutes(pages: pages, stylesheet: ByteBuffer(bytes: try Data(contentsOf: assets.appendingPathComponent("portal.css"))))
                .collection)
    }

    /// Whether cookies must be `Secure` (and `__Host-`): always over HTTPS; over
    /// plain HTTP only on a loopback address, for a local run, never elsewhere.
    static func servedSecurely(_ publicURL: String) throws -> Bool {
        guard let url = URL(string: publicURL), let scheme = url.scheme, let host = url.host else {
            throw SettingsError.invalid("portal.public_url", "a URL such as https://asysta.example.pl")
        }
        if scheme == "https" { return true }
        guard scheme == "http", ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw SettingsError.invalid("portal.public_url", "an https:// URL (plain http only on 127.0.0.1 or localhost)")
        }
        return false
    }

    /// The application: the pool, the sweeper of expired sessions, then HTTP.
    func application() throws -> some ApplicationProtocol {
        try core.application(
            router: router, readiness: ["postgres": { [database] in await database.ping() }],
            services: [database.pool, SessionSweeper(sessions: sessions, logger: core.logger)])
    }
}

/// Deletes expired sessions and kept forms every few minutes; reading a session
/// checks its expiry anyway, so this only keeps the table small.
struct SessionSweeper: Service {
    let sessions: SessionStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await sessions.sweep() } catch {
                    if !Task.isCancelled { logger.warning("session sweep failed", metadata: ["error": "\(error)"]) }
                }
                try? await Task.sleep(for: .seconds(300))
            }
        }
    }
}
