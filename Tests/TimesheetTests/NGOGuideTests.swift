import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Timesheet

/// An NGO reading only `docs/ngo-guide.md` can publish an entry: the guide's
/// shell blocks run, in order, against a running timesheet, with the guide's
/// settings block replaced by this deployment's addresses and ids.
@Suite struct NGOGuideTests {
    static let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/ngo-guide.md")

    /// The ```sh blocks after a `<!-- test … -->` marker, with their marker.
    static func blocks(of markdown: String) -> [(marker: String, code: String)] {
        var blocks: [(String, String)] = []
        var marker: String?
        var code: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if code != nil {
                if line.hasPrefix("```") {
                    blocks.append((marker!, code!.joined(separator: "\n")))
                    code = nil
                    marker = nil
                } else {
                    code!.append(line)
                }
            } else if line.hasPrefix("<!-- test") {
                marker = String(line)
            } else if line.hasPrefix("```sh"), marker != nil {
                code = []
            }
        }
        return blocks
    }

    @Test func theGuideBlocksAreMarked() throws {
        let blocks = Self.blocks(of: try String(contentsOf: Self.guide, encoding: .utf8))
        #expect(blocks.count == 7)
        #expect(blocks.first?.marker == "<!-- test: settings -->")
    }

    @Test func anNGOFollowingTheGuideGetsItsEntryAccepted() async throws {
        let harness = try await Harness.make("guide")
        var world = try World.small()
        world.order(
            "o-guide", participant: "u-1", assistant: "a-1", of: "ngo-a", from: World.at("2022-06-07 08:00"), to: World.at("2022-06-07 14:00"))
        let app = try await buildApplication(settings: harness.settings)
        try await app.test(.live) { [world] client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let providerToken = try await TestTokens.bearer(.provider, provider: "ngo-a")
            let operatorToken = try await TestTokens.bearer(.operator)
            let settings = """
                BROKER=\(TestBroker.shared.bootstrapServers)
                ASYSTA=http://127.0.0.1:\(client.port!)
                SUBMISSIONS=\(harness.topic(.timesheetSubmissions))
                RESULTS=\(harness.topic(.timesheetResults))
                PROVIDER=ngo-a
                ASSISTANT=a-1
                ORDER=o-guide
                PARTICIPANT=u-1
                TOKEN=\(providerToken.dropFirst("Bearer ".count))
                OPERATOR_TOKEN=\(operatorToken.dropFirst("Bearer ".count))
                """
            let blocks = Self.blocks(of: try String(contentsOf: Self.guide, encoding: .utf8))
            var script = "set -euo pipefail\n"
            for block in blocks { script += (block.marker.contains("settings") ? settings : block.code) + "\n" }
            // Like the guide's step 5, for the correction sent over HTTP in step 6.
            script += """
                for attempt in $(seq 1 60); do
                  kcat -C -b "$BROKER" -t "$RESULTS" -o beginning -e -q -f '%k %s\\n' | grep "^$PROVIDER " | grep -F '"sequence":2' > corrected.txt && break
                  sleep 1
                done
                cut -d' ' -f2- corrected.txt | jq -r '.type + " " + (.data.minutes | tostring) + " " + (.data.previousMinutes | tostring)'
                """
            let (status, output) = try await Self.run(script)
            #expect(status == 0, "\(output)")
            let lines = output.split(separator: "\n")
            #expect(lines.contains("asysta.timesheet.HoursAccounted.v1 210 "), "\(output)")
            #expect(lines.contains { $0.contains("\"status\":\"queued\"") }, "\(output)")
            #expect(lines.contains("asysta.timesheet.TimesheetEntryCorrected.v1 180 210"), "\(output)")

            // What the guide's commands put on the topic, and the answers, keep the published schemas.
            let records = try await BrokerObserver.records(on: [harness.topic(.timesheetSubmissions), harness.topic(.timesheetResults)])
            #expect(records.filter { $0.topic == harness.topic(.timesheetSubmissions) }.count == 2, "the guide's entry and its correction")
            let problems = try await ContractCheck.problems(in: records)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// Runs a bash script in a scratch directory with kcat using the project's librdkafka.
    static func run(_ script: String) async throws -> (Int32, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngo-guide-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        if let deps = environment["ASYSTA_DEPS"] {
            environment["LD_LIBRARY_PATH"] = "\(deps)/librdkafka/lib" + (environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? "")
        }
        return try await TestSupport.run("bash", ["-c", script], in: directory, environment: environment)
    }
}
