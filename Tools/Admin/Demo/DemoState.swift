import Foundation

/// What the demo keeps between runs in its state directory: each NGO's signing
/// key (the secret is shown once by timesheet, so it is kept, readable only by
/// its owner) and the months already driven and closed.
struct DemoState: Sendable {
    let directory: URL

    init(path: String) throws {
        directory = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("keys"), withIntermediateDirectories: true)
    }

    private func keyFile(_ provider: String) -> URL { directory.appendingPathComponent("keys/\(provider).json") }

    func key(of provider: String) -> SigningKey? {
        (try? Data(contentsOf: keyFile(provider))).flatMap { try? JSONDecoder().decode(SigningKey.self, from: $0) }
    }

    func store(_ key: SigningKey, of provider: String) throws {
        let file = keyFile(provider)
        try JSONEncoder().encode(key).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    private var monthsFile: URL { directory.appendingPathComponent("closed-months") }

    var closedMonths: [String] {
        ((try? String(contentsOf: monthsFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func recordClosed(_ month: String) throws {
        try (closedMonths + [month]).joined(separator: "\n").write(to: monthsFile, atomically: true, encoding: .utf8)
    }
}
