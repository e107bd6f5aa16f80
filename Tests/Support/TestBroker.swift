import Foundation
import Kafka
import Logging
import Synchronization

/// One Tansu broker per test process, on a private loopback port, started on
/// first use and killed with the process. Tests isolate themselves with topic
/// names (`createTopic`) or a topic prefix, never by sharing state.
public final class TestBroker: Sendable {
    public static let shared = TestBroker()

    private let port = Mutex<Int?>(nil)
    private let startLock = Mutex(())

    private init() {}

    /// "127.0.0.1:PORT", starting the broker if it is not running yet.
    public var bootstrapServers: String { "127.0.0.1:\(ensureStarted())" }

    public func configuration(clientID: String = "asysta-tests") -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: [bootstrapServers], clientID: clientID)
    }

    /// Creates a topic no other test uses and returns its name.
    public func createTopic(prefix: String, partitions: Int32 = 3) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        try await KafkaAdmin.createTopics([KafkaTopicSpec(name: name, partitions: partitions)], configuration: configuration())
        return name
    }

    private func ensureStarted() -> Int {
        startLock.withLock { _ in
            if let port = port.withLock({ $0 }) { return port }
            let started = Self.start()
            port.withLock { $0 = started }
            return started
        }
    }

    private static func start() -> Int {
        guard let (port, process) = launch() else { fatalError("the test broker did not start") }
        let pid = process.processIdentifier
        atexit_b { kill(pid, SIGKILL) }
        return port
    }

    /// A broker of the caller's own on a random private port, listening when this returns (nil
    /// if ten ports failed), for a test that stops or freezes it; it does not outlive the test process.
    public static func launch() -> (port: Int, process: Process)? {
        for _ in 0..<10 {
            let port = Int.random(in: 20000...60000)
            if let process = launch(port: port) { return (port, process) }
        }
        return nil
    }

    /// A broker on `port`, listening when this returns (nil if it did not start).
    private static func launch(port: Int) -> Process? {
        let binary =
            ProcessInfo.processInfo.environment["TANSU"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.deps/bin/tansu").standardized.path
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-tansu-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)",
            "--storage-engine", "memory://tansu/",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try? FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        do { try process.run() } catch { fatalError("cannot start the test broker at \(binary): \(error); run scripts/setup") }
        _ = try? startWatchdog(killing: process)
        if waitUntilListening(port: port, process: process) { return process }
        process.terminate()
        return nil
    }

    private static func waitUntilListening(port: Int, process: Process) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(socket)
            if connected == 0 { return true }
            usleep(20_000)
        }
        return false
    }
}

/// `atexit` with a closure that captures nothing but plain values.
private func atexit_b(_ body: @escaping @Sendable () -> Void) {
    exitHandlers.withLock { $0.append(body) }
    _ = registerExitHandler
}

private let exitHandlers = Mutex<[@Sendable () -> Void]>([])
private let registerExitHandler: Void = {
    atexit { exitHandlers.withLock { handlers in for handler in handlers { handler() } } }
}()
