import Foundation

/// Where the repository's files are, found from this file so the tests work from
/// any package that links the tests (symlinks resolved).
public enum Repository {
    public static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("contracts/events").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        // Tests/Support/Repository.swift → the root is two levels up.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> [UInt8] { try Array(Data(contentsOf: url(relative))) }
}

/// Runs a program (found on the PATH), in the repository unless told, and returns
/// its exit status and output (standard output and error together).
public func run(
    _ executable: String, _ arguments: [String], in directory: URL = Repository.root,
    environment: [String: String]? = nil
) async throws -> (status: Int32, output: String) {
    try await blocking { try runAndWait(executable, arguments, in: directory, environment: environment) }
}

/// Work that blocks its thread (waiting for a process, sleeping) runs on a thread of
/// its own: the test process shares Swift's cooperative pool (one thread per core)
/// with the services it runs in process, and a LibreOffice conversion or a kcat read
/// holding one of two threads starves their HTTP answers and consumers.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

private func runAndWait(
    _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]?
) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
