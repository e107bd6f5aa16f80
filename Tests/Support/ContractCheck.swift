import Foundation
import Kafka

/// Records off the broker checked against the published JSON Schemas by
/// `scripts/check-contracts`, the checker the contracts themselves pass: what the
/// services write, and what an NGO writes as the guide shows, must keep the contract.
public enum ContractCheck {
    /// Every problem the checker finds in `records`, one line each ("file:line: /path: message").
    public static func problems(in records: [KafkaMessage]) async throws -> [String] {
        try await problems(inValues: records.map(\.value))
    }

    /// Every problem the checker finds in these record values.
    public static func problems(inValues records: [[UInt8]]) async throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        // A record's JSON has no raw line break (JSON escapes them in strings), so one per line;
        // a record that is not JSON at all is still one line the checker refuses.
        var lines = Data()
        for record in records {
            lines.append(contentsOf: record.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 })
            lines.append(UInt8(ascii: "\n"))
        }
        try lines.write(to: file)
        let result = try await run("python3", [Repository.url("scripts/check-contracts").path, file.path])
        let problems = result.output.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }.map { String($0.dropFirst(5)) }
        if result.status != 0 && problems.isEmpty { return ["check-contracts failed: \(result.output)"] }
        guard problems.isEmpty, result.output.contains("\(records.count) extra files valid") else {
            return problems.isEmpty ? ["check-contracts did not count \(records.count) records: \(result.output)"] : problems
        }
        return []
    }
}
