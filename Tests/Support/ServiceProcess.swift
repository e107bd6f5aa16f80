import Foundation
import Postgres
import ServiceRuntime
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A service run black-box, as an operator runs it: its built executable with
/// `ASYSTA_*` settings, its own database, the test broker and a free port.
/// Replicas of one service share a database and a consumer group; services of
/// one test share a topic and group namespace. It can be killed (SIGKILL),
/// stopped (SIGTERM) and started again with the same settings.
public final class ServiceProcess: @unchecked Sendable {
    public let name: String
    public let port: Int
    public let database: PostgresConfiguration
    /// Everything the process printed, over all its runs.
    public let logFile: URL
    private let environment: [String: String]
    private let binary: URL
    private let state = Mutex<Process?>(nil)
    /// Seconds from the last spawn until `/health/ready` answered 200.
    public private(set) var startup: Double = .nan

    /// The directory holding the built executables: `ASYSTA_BIN_DIR`, else the
    /// one the test bundle sits in (`swift build --show-bin-path` of this build).
    public static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["ASYSTA_BIN_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        // …/.build/<triple>/debug/asystaPackageTests.xctest → …/debug
        return URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .deletingLastPathComponent().standardizedFileURL
    }

    /// - Parameters:
    ///   - name: the executable (`timesheet`, `reporting`, …).
    ///   - namespace: topic prefix and consumer group prefix shared by the services of one test.
    ///   - database: the database of a replica's siblings; a fresh one on `postgres` when nil.
    ///   - settings: further settings by key (`"kafka.max_batch_size": "200"`).
    public init(
        name: String, namespace: String, database: PostgresConfiguration? = nil, postgres: TestPostgres = .shared,
        settings: [String: String] = [:]
    ) async throws {
        self.name = name
        binary = Self.binDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure("no \(name) executable in \(Self.binDirectory.path) (swift build builds it; ASYSTA_BIN_DIR overrides the directory)")
        }
        let database = if let database { database } else { try await postgres.createDatabase(prefix: name) }
        self.database = database
        port = Self.freePort()
        var values: [String: String] = [
            "http.host": "127.0.0.1", "http.port": String(port),
            "postgres.host": database.host, "postgres.port": String(database.port),
            "postgres.user": database.user, "postgres.database": database.database,
            "kafka.bootstrap_servers": TestBroker.shared.bootstrapServers,
            "kafka.topic_prefix": namespace + ".", "kafka.consumer_group_prefix": namespace,
            "kafka.partitions": "6", "kafka.session_timeout_ms": "6000",
            "log.level": "warning", "auth.jwks": TestTokens.trustedKeys,
        ]
        values.merge(settings) { $1 }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ASYSTA_") }
        for (key, value) in values { environment[Settings.environmentName(of: key)] = value }
        self.environment = environment
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-\(namespace)-\(name)-\(port).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public var isRunning: Bool { state.withLock { $0?.isRunning ?? false } }

    /// Process id of the current run (0 when not started).
    public var pid: pid_t { state.withLock { $0?.processIdentifier ?? 0 } }

    /// Spawns the process (again, after a kill or stop) and waits until `/health/ready` answers 200.
    public func start(timeout: Duration = .seconds(90)) async throws {
        let process = Process()
        process.executableURL = binary
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let log = try FileHandle(forWritingTo: logFile)
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        let spawned = ContinuousClock.now
        try state.withLock { current in
            guard !(current?.isRunning ?? false) else { throw Failure("\(name) is already running") }
            try process.run()
            current = process
        }
        try? log.close()
        Self.running.withLock { _ = $0.insert(process.processIdentifier) }
        while ContinuousClock.now - spawned < timeout {
            guard process.isRunning else {
                throw Failure("\(name) exited with status \(process.terminationStatus) before it was ready; see \(logFile.path)")
            }
            if await get("/health/ready").status == 200 {
                let elapsed = (ContinuousClock.now - spawned).components
                startup = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("\(name) was not ready within \(timeout); see \(logFile.path)")
    }

    /// SIGKILL, as a crash would: no shutdown, no flush. Returns once the process is gone.
    public func kill() async {
        await end(with: SIGKILL, grace: .seconds(10))
    }

    /// SIGTERM (graceful shutdown), then SIGKILL after 10 s.
    public func stop() async {
        await end(with: SIGTERM, grace: .seconds(10))
        if isRunning { await kill() }
    }

    /// Kills the process and starts it again with the same settings and port.
    public func restart(after signal: Int32 = SIGKILL) async throws {
        if signal == SIGKILL { await kill() } else { await stop() }
        try await start()
    }

    private func end(with signal: Int32, grace: Duration) async {
        guard let process = state.withLock({ $0 }), process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if !process.isRunning { Self.running.withLock { _ = $0.remove(process.processIdentifier) } }
    }

    /// Resident memory now, in MiB (VmRSS).
    public var residentMiB: Double { memoryMiB("VmRSS:") }

    /// The most resident memory the process has held since it started, in MiB (VmHWM).
    public var residentPeakMiB: Double { memoryMiB("VmHWM:") }

    /// A kB field of `/proc/<pid>/status`, in MiB.
    private func memoryMiB(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { return .nan }
        return kib / 1024
    }

    // MARK: - HTTP

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func get(_ path: String, as caller: Role = .operator) async -> (status: Int, body: Data) {
        await request("GET", path, body: nil, as: caller)
    }

    /// Calls the service as a caller of `role` (an operator unless told otherwise); status 0 when it did not answer.
    public func request(
        _ method: String, _ path: String, body: Data?, as role: Role = .operator, provider: String? = nil
    ) async -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        request.setValue(try? await TestTokens.bearer(role, provider: provider), forHTTPHeaderField: "Authorization")
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (0, Data()) }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// The sum of a Prometheus counter's samples whose labels include all of `labels` (0 when absent).
    public func metric(_ name: String, labels: [String: String] = [:]) async -> Double {
        let text = String(decoding: await get("/metrics").body, as: UTF8.self)
        return text.split(separator: "\n").reduce(0) { sum, line in
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " "),
                labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { return sum }
            return sum + value
        }
    }

    /// A port no other service of this test run was given, that nothing listens on,
    /// below Linux's ephemeral range (32768–60999): a port the kernel picked for us
    /// could be picked again for someone else's outgoing connection, or handed to a
    /// second service, before the first one binds it (a replica once answered its
    /// neighbour's health checks and exited).
    public static func freePort() -> Int {
        while true {
            let candidate = Int.random(in: 20_000..<32_768)
            guard handedOut.withLock({ $0.insert(candidate).inserted }), canBind(candidate) else { continue }
            return candidate
        }
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func canBind(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Services still running when the test process exits are killed.
    private static let running: Mutex<Set<pid_t>> = {
        atexit { ServiceProcess.running.withLock { for pid in $0 { Foundation.kill(pid, SIGKILL) } } }
        return Mutex([])
    }()
}

/// Samples a process's resident memory while `body` runs; returns the peak (MiB).
public func peakResident<T>(of service: ServiceProcess, during body: () async throws -> T) async throws -> (T, Double) {
    let sampler = Task {
        var peak = 0.0
        while !Task.isCancelled {
            peak = max(peak, service.residentMiB.isNaN ? 0 : service.residentMiB)
            try? await Task.sleep(for: .milliseconds(100))
        }
        return peak
    }
    let result = try await body()
    sampler.cancel()
    return (result, await sampler.value)
}

/// Starts `services` (in order), runs `body`, then stops them gracefully; when
/// anything throws they are killed, so a failing test leaves no process behind.
public func withStarted<T>(_ services: [ServiceProcess], _ body: () async throws -> T) async throws -> T {
    do {
        for service in services { try await service.start() }
        let result = try await body()
        for service in services { await service.stop() }
        return result
    } catch {
        for service in services { await service.kill() }
        throw error
    }
}

extension ServiceProcess {
    /// A JSON call as an API client makes it: the body a JSON object, the answer
    /// decoded as one (empty when the service sent none or not JSON).
    public func json(
        _ method: String, _ path: String, _ body: [String: Any]? = nil, as role: Role = .operator, provider: String? = nil
    ) async throws -> (status: Int, body: [String: Any]) {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let answer = await request(method, path, body: data, as: role, provider: provider)
        return (answer.status, (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:])
    }
}
