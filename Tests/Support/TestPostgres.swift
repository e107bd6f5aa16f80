import Foundation
import Logging
import Postgres
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir (trust auth, fsync off unless `isDurable`,
/// UTF8, locale C), `postgres` on a random free port on 127.0.0.1, killed when the test
/// process exits (atexit, plus a watchdog shell that SIGKILLs it if the process dies hard).
///
/// `shared` starts lazily, once per process; every test gets its own database from
/// `createDatabase()`, so tests run in parallel without colliding. Tests that restart the
/// server use `startPrivate()` so they don't disturb the others.
///
/// Postgres refuses to run as root: when euid is 0 the binaries run as the `postgres` OS user
/// (via `setpriv`) in a data dir that user owns. `ASYSTA_TEST_PG_BIN` overrides the bin dir.
public final class TestPostgres: Sendable {
    public static let shared = TestPostgres()

    private struct State {
        var startTask: Task<Void, any Error>?
        var root: String?
        var port = 0
        var adminPool: PostgresPool?
    }

    private let state = Mutex(State())
    private let logger = Logger(label: "asysta.test-postgres")

    private init() {}

    /// Starts a cluster of its own (for tests that restart or break the server).
    public static func startPrivate() async throws -> TestPostgres {
        let instance = TestPostgres()
        try await instance.ensureStarted()
        return instance
    }

    /// The TCP port on 127.0.0.1 (0 until started).
    public var port: Int { state.withLock { $0.port } }

    /// Creates a fresh, uniquely named database and returns how to reach it.
    public func createDatabase(prefix: String = "test") async throws -> PostgresConfiguration {
        try await ensureStarted()
        let clean = prefix.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        let name = "\(clean.prefix(30))_\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff_ffff)"
        let pool = state.withLock { $0.adminPool }!
        try await pool.withConnection { try await $0.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\"")) }
        return configuration(database: name)
    }

    /// Writes every dirty page out now (`CHECKPOINT`), so a benchmark's next part does not pay
    /// for the writes of the one before it.
    public func checkpoint() async throws {
        try await ensureStarted()
        let pool = state.withLock { $0.adminPool }!
        try await pool.withConnection { try await $0.execute("CHECKPOINT") }
    }

    /// Configuration for `database` on this server.
    public func configuration(database: String = "postgres") -> PostgresConfiguration {
        PostgresConfiguration(host: "127.0.0.1", port: port, user: "postgres", database: database, sslMode: "disable")
    }

    /// Fast shutdown (sessions get 57P01), then start again on the same port and data dir.
    public func restart() async throws {
        try await ensureStarted()
        try await blocking { [self] in
            let (root, port) = state.withLock { ($0.root!, $0.port) }
            try Self.stopServer(root: root, signal: SIGINT)
            try Self.startServer(root: root, port: port)
        }
    }

    /// Stops the server and deletes its files (also happens at process exit).
    public func stop() async {
        let (root, pool) = state.withLock { state in
            defer {
                state.root = nil
                state.adminPool = nil
                state.startTask = nil
            }
            return (state.root, state.adminPool)
        }
        await pool?.close()
        guard let root else { return }
        _ = try? await blocking {
            try? Self.stopServer(root: root, signal: SIGQUIT)
            try? FileManager.default.removeItem(atPath: root)
            Self.registry.withLock { $0.roots.removeAll { $0 == root } }
        }
    }

    // MARK: - Starting

    private func ensureStarted() async throws {
        let task = state.withLock { state in
            if let task = state.startTask { return task }
            let task = Task { try await self.start() }
            state.startTask = task
            return task
        }
        try await task.value
    }

    private func start() async throws {
        let (root, port) = try await blocking { () throws -> (String, Int) in
            let root = try Self.initCluster()
            var lastError: (any Error)?
            for _ in 0..<10 {
                let port = Int.random(in: 20000...60000)
                do {
                    try Self.startServer(root: root, port: port)
                    return (root, port)
                } catch let error as StartError where error.portInUse {
                    lastError = error
                }
            }
            throw lastError!
        }
        let pool = PostgresPool(
            configuration: PostgresConfiguration(
                host: "127.0.0.1", port: port, user: "postgres", database: "postgres", poolSize: 2, sslMode: "disable"),
            logger: logger
        )
        state.withLock { state in
            state.root = root
            state.port = port
            state.adminPool = pool
        }
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
        var portInUse = false
    }

    private static func binDirectory() -> String {
        if let dir = ProcessInfo.processInfo.environment["ASYSTA_TEST_PG_BIN"], !dir.isEmpty { return dir }
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last else { return "/usr/lib/postgresql/15/bin" }
        return "\(base)/\(newest)/bin"
    }

    /// `setpriv` prefix that drops to the postgres user when we are root.
    private static func asServerUser() -> [String] {
        geteuid() == 0 ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] : []
    }

    private static func initCluster() throws -> String {
        var template = Array("/tmp/asysta-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw StartError(description: "mkdtemp failed") }
        let root = String(cString: made)
        registry.withLock { $0.roots.append(root) }
        if geteuid() == 0 {
            guard let pw = getpwnam("postgres") else { throw StartError(description: "no postgres OS user") }
            chown(root, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        let status = try runAndWait(
            asServerUser() + [
                "\(binDirectory())/initdb", "-D", "\(root)/data", "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--locale=C", "--no-sync",
            ],
            log: "\(root)/initdb.log"
        )
        guard status == 0 else {
            let log = (try? String(contentsOfFile: "\(root)/initdb.log", encoding: .utf8)) ?? ""
            throw StartError(description: "initdb failed (\(status)): \(log)")
        }
        return root
    }

    /// Tests trade crash safety for speed. The benchmarks (`ASYSTA_POSTGRES_DURABLE=1`, set by
    /// `scripts/bench`) keep PostgreSQL's defaults, as deployed: a commit waits for its WAL flush.
    public static var isDurable: Bool { ProcessInfo.processInfo.environment["ASYSTA_POSTGRES_DURABLE"] == "1" }

    private static var durability: [String] {
        isDurable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    }

    /// Launches postgres plus a watchdog that SIGKILLs it if this process dies without running
    /// atexit handlers, then waits until the server reports "ready".
    ///
    /// The watchdog is a loop of foreground commands on purpose: Foundation's `Process` starts
    /// children with signals blocked, so a shell's `wait` builtin (which waits for SIGCHLD) hangs.
    private static func startServer(root: String, port: Int) throws {
        let log = "\(root)/postgres.log"
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? logHandle.close() }
        let logStart = try logHandle.seekToEnd()
        let server =
            asServerUser() + [
                "\(binDirectory())/postgres", "-D", "\(root)/data", "-p", String(port), "-h", "127.0.0.1", "-k", root,
            ] + durability + [
                "-c", "max_connections=300", "-c", "deadlock_timeout=100ms", "-c", "log_min_messages=warning",
            ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server[0])
        process.arguments = Array(server.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()  // setpriv execs postgres, so this pid is the postmaster's

        let watchdog = try startWatchdog(killing: process)
        registry.withLock { $0.processes += [process, watchdog] }

        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let pidFile = try? String(contentsOfFile: "\(root)/data/postmaster.pid", encoding: .utf8) {
                let lines = pidFile.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count >= 8, lines[7].trimmingCharacters(in: .whitespaces) == "ready", lines[3] == Substring(String(port)) {
                    return
                }
            }
            if !process.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.utf8.dropFirst(Int(logStart))) ?? $0 } ?? ""
                throw StartError(
                    description: "postgres exited: \(text)",
                    portInUse: text.contains("could not bind") || text.contains("already in use")
                )
            }
            usleep(20_000)
        }
        throw StartError(description: "postgres did not become ready within 30 s")
    }

    private static func postmasterPID(root: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: "\(root)/data/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }

    /// SIGINT = fast shutdown, SIGQUIT = immediate. Waits for the postmaster to go, then SIGKILLs.
    private static func stopServer(root: String, signal: Int32) throws {
        guard let pid = postmasterPID(root: root) else { return }
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(signal == SIGQUIT ? 2 : 20)
        while Date() < deadline {
            if kill(pid, 0) != 0 { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        usleep(200_000)
    }

    private static func runAndWait(_ arguments: [String], log: String) throws -> Int32 {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    // MARK: - Cleanup at exit

    private struct Registry {
        var roots: [String] = []
        /// Kept so Foundation keeps reaping them.
        var processes: [Process] = []
    }

    /// Cluster dirs still alive; `atexit` stops their servers and deletes them.
    private static let registry: Mutex<Registry> = {
        atexit {
            let roots = TestPostgres.registry.withLock { registry in
                defer { registry.roots = [] }
                return registry.roots
            }
            for root in roots {
                try? TestPostgres.stopServer(root: root, signal: SIGQUIT)
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        return Mutex(Registry())
    }()
}
