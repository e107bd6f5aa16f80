import Foundation
import Postgres
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A service run black-box: the release executable with `ASYSTA_*` settings, a
/// fresh database of its own, the test broker and a free port.
final class ServiceProcess: @unchecked Sendable {
    let name: String
    let port: Int
    let database: PostgresConfiguration
    let process = Process()
    /// Seconds from spawn until `/health/ready` answered 200.
    private(set) var startup: Double = .nan

    static var binDirectory: URL {
        // …/.build-x/<triple>/release/asystaPackageTests.xctest → …/release
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("release").standardizedFileURL
    }

    static func executable(_ name: String) -> URL? {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent(name), binDirectory.appendingPathComponent(name)]
            + (ProcessInfo.processInfo.environment["ASYSTA_BENCH_BIN"].map { [URL(fileURLWithPath: $0).appendingPathComponent(name)] } ?? [])
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    init(name: String, namespace: String, extra: [String: String] = [:]) async throws {
        self.name = name
        guard let binary = Self.executable(name) else { throw Failure("no \(name) executable next to the tests (build with swift build -c release)") }
        database = try await TestPostgres.shared.createDatabase(prefix: "bench_\(name)")
        port = Self.freePort()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ASYSTA_") }
        let settings: [String: String] = [
            "ASYSTA_HTTP_HOST": "127.0.0.1", "ASYSTA_HTTP_PORT": String(port),
            "ASYSTA_POSTGRES_HOST": database.host, "ASYSTA_POSTGRES_PORT": String(database.port),
            "ASYSTA_POSTGRES_USER": database.user, "ASYSTA_POSTGRES_DATABASE": database.database,
            "ASYSTA_KAFKA_BOOTSTRAP_SERVERS": TestBroker.shared.bootstrapServers,
            "ASYSTA_KAFKA_TOPIC_PREFIX": namespace + ".", "ASYSTA_KAFKA_CONSUMER_GROUP_PREFIX": namespace,
            "ASYSTA_KAFKA_PARTITIONS": "6", "ASYSTA_LOG_LEVEL": "warning",
            "ASYSTA_AUTH_JWT_SECRET": TestTokens.secret,
        ]
        environment.merge(settings) { $1 }
        environment.merge(extra) { $1 }
        process.executableURL = binary
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-bench-\(name)-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Spawns the process and waits for readiness; the start-up time is recorded.
    func start(timeout: Double = 60) async throws {
        let spawned = now()
        try process.run()
        let pid = process.processIdentifier
        Self.running.withLock { $0.insert(pid) }
        while now() - spawned < timeout {
            guard process.isRunning else { throw Failure("\(name) exited with status \(process.terminationStatus) before it was ready") }
            if await get("/health/ready").status == 200 {
                startup = now() - spawned
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure("\(name) was not ready within \(Int(timeout)) s")
    }

    var spawnedAt: Double = 0

    /// Resident memory now, in MiB (VmRSS).
    var residentMiB: Double { memoryMiB("VmRSS:") }

    /// The most resident memory the process has held since it started, in MiB (VmHWM).
    var residentPeakMiB: Double { memoryMiB("VmHWM:") }

    /// A kB field of `/proc/<pid>/status`, in MiB.
    private func memoryMiB(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { return .nan }
        return kib / 1024
    }

    /// SIGTERM (graceful shutdown), then SIGKILL after 10 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = now() + 10
        while process.isRunning, now() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let pid = process.processIdentifier
        Self.running.withLock { $0.remove(pid) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String) async -> (status: Int, body: Data) {
        await request("GET", path, body: nil)
    }

    func request(_ method: String, _ path: String, body: Data?) async -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 5
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        request.setValue(try? await TestTokens.bearer(.operator), forHTTPHeaderField: "Authorization")
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (0, Data()) }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(socket, pointer, length)
                return getsockname(socket, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Services still running when the test process exits are killed.
    private static let running: LockedPIDs = {
        let pids = LockedPIDs()
        atexit { ServiceProcess.running.withLock { $0.forEach { kill($0, SIGKILL) } } }
        return pids
    }()
}

final class LockedPIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var pids = Set<pid_t>()
    func withLock<T>(_ body: (inout Set<pid_t>) -> T) -> T { lock.withLock { body(&pids) } }
}

/// Samples a process's resident memory while `body` runs; returns the peak (MiB).
func peakResident<T>(of service: ServiceProcess, during body: () async throws -> T) async throws -> (T, Double) {
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
