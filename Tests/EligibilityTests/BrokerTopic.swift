import Foundation

/// Reads a topic from the test broker with kcat (run with scripts/lib/env.sh, so it
/// finds librdkafka 2.8.0), as an outside observer of what services published.
struct BrokerTopic {
    var bootstrapServers: String
    var name: String

    /// Every record's value now on the topic, decoded as JSON objects.
    func events() throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kcat", "-b", bootstrapServers, "-C", "-t", name, "-o", "beginning", "-e", "-q", "-D", "\u{1e}"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.split(separator: 0x1e).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    /// The raw text of every record, for scanning.
    func texts() throws -> [String] {
        try events().map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
    }

    /// Waits (up to `timeout`) for an event that satisfies `match`.
    func waitFor(timeout: Duration = .seconds(30), _ match: ([String: Any]) -> Bool) async throws -> [String: Any]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = try events().first(where: match) { return event }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}

extension Dictionary where Key == String, Value == Any {
    var eventType: String? { self["type"] as? String }
    var payload: [String: Any] { self["data"] as? [String: Any] ?? [:] }
}
