import Foundation

/// The figures of one benchmark run: printed as a table at the end and written
/// as JSON to `.build/bench-results.json`, with what they were measured on.
final class BenchReport: @unchecked Sendable {
    struct Row: Codable {
        var benchmark: String
        var metric: String
        var value: Double
        var unit: String
    }

    private let lock = NSLock()
    private var rows: [Row] = []
    private var environment: [String: String] = [:]
    private var notes: [String] = []
    private var distributions: [(name: String, latencies: [Double])] = []

    func record(_ benchmark: String, _ metric: String, _ value: Double, _ unit: String) {
        lock.withLock { rows.append(Row(benchmark: benchmark, metric: metric, value: value, unit: unit)) }
        print("[bench] \(benchmark) · \(metric): \(Self.format(value)) \(unit)")
    }

    func environment(_ key: String, _ value: String) {
        lock.withLock { environment[key] = value }
    }

    /// Something a reader of the figures must know (a phase that could not run, why).
    func note(_ text: String) {
        lock.withLock { notes.append(text) }
        print("[bench] note: \(text)")
    }

    /// A phase's every latency (milliseconds): its p50 and p99 recorded, and all of them
    /// drawn by `finish` as a CDF.
    func latencies(_ name: String, _ latencies: [Double]) {
        let sorted = latencies.sorted()
        record(name, "p50 latency", percentile(sorted, 0.50), "ms")
        record(name, "p99 latency", percentile(sorted, 0.99), "ms")
        lock.withLock { distributions.append((name, sorted)) }
    }

    func value(_ benchmark: String, _ metric: String) -> Double? {
        lock.withLock { rows.last { $0.benchmark == benchmark && $0.metric == metric }?.value }
    }

    /// The table, and the JSON next to the build products.
    func finish(root: URL) throws {
        let (rows, environment, notes, distributions) = lock.withLock { (self.rows, self.environment, self.notes, self.distributions) }
        var lines: [String] = []
        lines.append("")
        lines.append("Asysta benchmarks — " + environment.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let widths = (
            max(9, rows.map(\.benchmark.count).max() ?? 0),
            max(6, rows.map(\.metric.count).max() ?? 0),
            max(5, rows.map { Self.format($0.value).count }.max() ?? 0)
        )
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        lines.append("\(pad("benchmark", widths.0))  \(pad("metric", widths.1))  \(pad("value", widths.2, right: true))  unit")
        lines.append(String(repeating: "-", count: widths.0 + widths.1 + widths.2 + 12))
        for row in rows {
            lines.append(
                "\(pad(row.benchmark, widths.0))  \(pad(row.metric, widths.1))  \(pad(Self.format(row.value), widths.2, right: true))  \(row.unit)")
        }
        for note in notes { lines.append("note: \(note)") }
        print(lines.joined(separator: "\n"))

        struct Document: Codable {
            var generatedAt: String
            var environment: [String: String]
            var results: [Row]
            var notes: [String]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let document = Document(generatedAt: ISO8601DateFormatter().string(from: Date()), environment: environment, results: rows, notes: notes)
        let directory = root.appendingPathComponent(".build")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("bench-results.json")
        try encoder.encode(document).write(to: file)
        print("[bench] results written to \(file.path)")
        if !distributions.isEmpty {
            let picture = directory.appendingPathComponent("bench-latency.svg")
            try Data(LatencyChart.svg(distributions).utf8).write(to: picture)
            print("[bench] latency distributions drawn in \(picture.path)")
        }
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        if abs(value) >= 100 { return String(format: "%.0f", value) }
        if abs(value) >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }
}

/// Monotonic seconds since an arbitrary point.
func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[index]
}

/// The repository root (Benchmarks/Support/…/../..).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
