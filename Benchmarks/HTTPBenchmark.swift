import Domain
import Foundation
import Kafka
import Logging
import TestSupport
import Testing

/// `wrk` at 64 connections against the ordering service run as a process:
/// placing orders (`POST /orders`) and reading allowances.
enum HTTPBenchmark {
    struct WrkResult {
        var requests: Int
        var perSecond: Double
        var p50: Double
        var p99: Double
        var failures: Int
        var socketErrors = 0
        /// wrk's script prints the first failed answers.
        var failed: [String] = []
    }

    static func run(fixture: EntryFixture, kafka: KafkaConfiguration, report: BenchReport, logger: Logger) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            report.note("HTTP not measured: wrk is not installed (apt-get install wrk)")
            return
        }
        let namespace = "bench-http-\(UUID().uuidString.prefix(6).lowercased())"
        try await KafkaAdmin.createTopics(Topic.all.map { KafkaTopicSpec(name: namespace + "." + $0.name, partitions: 6) }, configuration: kafka)
        let ordering = try await ServiceProcess(name: "ordering", namespace: namespace)
        try await ordering.start()
        report.record("ordering", "start-up until /health/ready", ordering.startup, "s")
        try await Task.sleep(for: .seconds(2))
        report.record("ordering", "resident memory idle", ordering.residentMiB, "MiB")

        // The edition and the grants, as eligibility would publish them.
        let grants = try fixture.referenceEvents().filter { $0.topic == .editions || $0.topic == .decisions }
        try await produceAll(
            grants.map { KafkaOutgoingMessage(topic: namespace + "." + $0.topic.name, key: Array($0.key.utf8), value: $0.value) }, kafka: kafka,
            logger: logger)
        let last = EntryFixture.participantID(EntryFixture.participants - 1).rawValue
        let deadline = now() + 60
        while await ordering.get("/participants/\(last)/allowance").status != 200 {
            guard now() < deadline else { throw ServiceProcess.Failure("ordering did not learn the grants within 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }

        let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-bench-wrk-\(namespace)")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        let place = scripts.appendingPathComponent("place.lua")
        let coordinator = try await TestTokens.bearer(.coordinator)
        try """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "\(coordinator)"
        math.randomseed(os.time() + math.floor(os.clock() * 1000000))
        request = function()
          local p = string.format("bench-p-%04d", math.random(0, \(EntryFixture.participants - 1)))
          local date = string.format("2025-%02d-%02d", math.random(3, 11), math.random(1, 28))
          local hour = math.random(6, 20)
          local body = string.format('{"participantID":"%s","date":"%s","start":"%02d:00","end":"%02d:30","activity":"errands","place":"ul. Benchmarkowa 1, Wrocław"}', p, date, hour, hour)
          return wrk.format(nil, "/orders", nil, body)
        end

        """.write(to: place, atomically: true, encoding: .utf8)
        let allowance = scripts.appendingPathComponent("allowance.lua")
        try """
        wrk.headers["Authorization"] = "\(coordinator)"
        math.randomseed(os.time() + math.floor(os.clock() * 1000000))
        request = function()
          return wrk.format("GET", string.format("/participants/bench-p-%04d/allowance", math.random(0, \(EntryFixture.participants - 1))))
        end

        """.write(to: allowance, atomically: true, encoding: .utf8)

        let duration = Int(ProcessInfo.processInfo.environment["ASYSTA_BENCH_HTTP_SECONDS"] ?? "") ?? 15
        var (placed, placePeak) = try await peakResident(of: ordering) {
            try await wrk(script: place, url: ordering.baseURL + "/orders", seconds: duration)
        }
        report.record("HTTP POST /orders (64 conn)", "requests/s", placed.perSecond, "req/s")
        report.record("HTTP POST /orders (64 conn)", "p50 latency", placed.p50, "ms")
        report.record("HTTP POST /orders (64 conn)", "p99 latency", placed.p99, "ms")
        report.record("HTTP POST /orders (64 conn)", "socket errors", Double(placed.socketErrors), "")
        if placed.failures > 0 {
            let body =
                #"{"participantID":"bench-p-0001","date":"2025-05-05","start":"10:00","end":"10:30","activity":"errands","place":"ul. Benchmarkowa 1, Wrocław"}"#
            let answer = await ordering.request("POST", "/orders", body: Data(body.utf8))
            placed.failed.append("\(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        #expect(placed.failures == 0, "wrk saw \(placed.failures) non-2xx answers placing orders; one answer now: \(placed.failed)")
        let stored = try await ordering.database.withPool { pool in
            try await pool.withConnection { try await $0.query("SELECT count(*) FROM orders")[0].decode(Int.self, at: 0) }
        }
        #expect(stored >= placed.requests, "\(placed.requests) orders answered, \(stored) stored")

        let (read, readPeak) = try await peakResident(of: ordering) { try await wrk(script: allowance, url: ordering.baseURL, seconds: duration) }
        report.record("HTTP GET allowance (64 conn)", "requests/s", read.perSecond, "req/s")
        report.record("HTTP GET allowance (64 conn)", "p50 latency", read.p50, "ms")
        report.record("HTTP GET allowance (64 conn)", "p99 latency", read.p99, "ms")
        #expect(read.failures == 0, "wrk saw \(read.failures) non-2xx answers or socket errors reading allowances: \(read.failed)")
        report.record("ordering", "resident memory under load (peak)", max(placePeak, readPeak), "MiB")
        await ordering.stop()
    }

    static func wrk(script: URL, url: String, seconds: Int) async throws -> WrkResult {
        let output = try await TestSupport.run(
            "wrk", ["-t2", "-c64", "-d\(seconds)s", "--latency", "--timeout", "10s", "-s", script.path, url]
        ).output
        return try parse(output)
    }

    /// Reads wrk's summary: requests, Requests/sec, the 50 % and 99 % latency, errors.
    static func parse(_ output: String) throws -> WrkResult {
        func milliseconds(_ text: Substring) -> Double? {
            for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
                return Double(text.dropLast(suffix.count)).map { $0 * factor }
            }
            return nil
        }
        var result = WrkResult(requests: 0, perSecond: .nan, p50: .nan, p99: .nan, failures: 0)
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first else { continue }
            if first == "Requests/sec:", words.count > 1 { result.perSecond = Double(words[1]) ?? .nan }
            if words.count > 2, words[1] == "requests", words[2] == "in" { result.requests = Int(first) ?? 0 }
            if first == "50%", words.count > 1 { result.p50 = milliseconds(words[1]) ?? .nan }
            if first == "99%", words.count > 1 { result.p99 = milliseconds(words[1]) ?? .nan }
            if line.contains("Non-2xx or 3xx responses:") { result.failures += Int(words.last ?? "") ?? 0 }
            if first == "Socket", let errors = line.split(separator: ":").last {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                result.socketErrors += errors.split(separator: ",").compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            }
        }
        guard result.requests > 0 else { throw ServiceProcess.Failure("wrk reported nothing: \(output.prefix(500))") }
        return result
    }
}
