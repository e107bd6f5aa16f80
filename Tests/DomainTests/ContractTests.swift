import Foundation
import TestSupport
import Testing

@testable import Domain
@testable import EventJSON

/// The files under contracts/ and the Swift types must describe the same events.
@Suite struct ContractTests {
    static let eventNames = EventCatalogue.all.map { "\($0.eventType.name).v\($0.eventType.version)" }

    @Test func everyCatalogueEventHasASchemaAndAnExample() throws {
        for name in Self.eventNames {
            #expect(FileManager.default.fileExists(atPath: Repository.url("contracts/events/\(name).schema.json").path), "no schema for \(name)")
            #expect(FileManager.default.fileExists(atPath: Repository.url("contracts/examples/\(name).json").path), "no example for \(name)")
        }
        // …and nothing else: a file for an event the catalogue does not know is stale.
        let examples = try FileManager.default.contentsOfDirectory(atPath: Repository.url("contracts/examples").path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }
        let schemas = try FileManager.default.contentsOfDirectory(atPath: Repository.url("contracts/events").path)
            .filter { $0.hasSuffix(".schema.json") && $0 != "common.schema.json" }.map { String($0.dropLast(".schema.json".count)) }
        #expect(Set(examples) == Set(Self.eventNames))
        #expect(Set(schemas) == Set(Self.eventNames))
        #expect(Set(Self.eventNames).count == EventCatalogue.all.count, "two catalogue entries share a name")
    }

    @Test func schemaIDsAreTheDataschemas() throws {
        for type in EventCatalogue.all {
            let name = "\(type.eventType.name).v\(type.eventType.version)"
            let schema = try #require(
                JSONSerialization.jsonObject(with: Data(Repository.bytes("contracts/events/\(name).schema.json"))) as? [String: Any])
            #expect(schema["$id"] as? String == type.eventType.schema)
            let properties = try #require(schema["properties"] as? [String: Any])
            #expect((properties["type"] as? [String: Any])?["const"] as? String == type.eventType.description)
        }
    }

    @Test(arguments: EventCatalogue.all.map { EventTypeArgument($0) })
    func exampleDecodesAndRoundTrips(_ argument: EventTypeArgument) throws {
        try roundTrip(argument.type, Repository.example(argument.type))
    }

    @Test func examplesUseTheirContractsAttributes() throws {
        let submitted = try EventCodec.decode(TimesheetEntrySubmitted.self, from: Repository.example(TimesheetEntrySubmitted.self))
        #expect(submitted.source == "/providers/\(submitted.data.providerID)")
        // 09:00 in Warsaw in June is 07:00 UTC: the offset is honoured, not dropped.
        #expect(submitted.data.start == instant("2022-06-07T07:00:00Z"))
        #expect(submitted.data.minutes == 210)
        let rules = try EventCodec.decode(EditionPublished.self, from: Repository.example(EditionPublished.self)).data.rules
        #expect(rules.budget.total == Money("2492860.00")!)
        #expect(rules.providers.count == 8)
    }

    /// Swift → schema: whatever the encoder writes, the schemas accept, so the
    /// two cannot drift apart.
    @Test func encodedEventsMatchTheSchemas() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asysta-contracts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var files: [String] = []
        for (index, sample) in Samples.all.enumerated() {
            let bytes = try Samples.encode(sample.event, index: index)
            try roundTrip(type(of: sample.event), bytes)
            let name = type(of: sample.event).eventType.name
            let file = directory.appendingPathComponent("\(index)-\(name).json")
            try Data(bytes).write(to: file)
            files.append(file.path)
        }
        let covered = Set(Samples.all.map { type(of: $0.event).eventType.description })
        #expect(covered == Set(EventCatalogue.all.map { $0.eventType.description }), "a catalogue event has no sample")

        let result = try await run("python3", [Repository.url("scripts/check-contracts").path] + files)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\(files.count) extra files valid"), "\(result.output)")
    }

    /// Every rejection code answers within TimesheetEntryRejected's schema, whatever
    /// entry id it answers: one too long (80 characters, or 70 two-byte ones), with a
    /// NUL or a line break, or none at all.
    @Test func everyRejectionAnswerMatchesItsSchema() async throws {
        let ids = ["PS/2022/06/001", String(repeating: "x", count: 80), String(repeating: "ż", count: 70), "PS\u{0}1", "line\nbreak", ""]
        var answers: [[UInt8]] = []
        for code in TimesheetRejectionCode.allCases {
            for id in ids {
                let answer = TimesheetEntryRejected(
                    providerID: ProviderID("ngo-a"), entryID: id, sequence: 1, code: code, message: "Refused: \(code.rawValue).")
                answers.append(try EventCodec.encode(EventEnvelope(source: "/asysta/timesheet", data: answer)))
            }
        }
        let problems = try await ContractCheck.problems(inValues: answers)
        #expect(problems.isEmpty, "\(problems)")
        #expect(TimesheetEntryRejected.fitting(String(repeating: "x", count: 80)) == String(repeating: "x", count: 63) + "…")
        #expect(TimesheetEntryRejected.fitting(String(repeating: "x", count: 64)) == String(repeating: "x", count: 64))
    }

    /// The AsyncAPI document names every topic with its key, producer, messages and dead-letter topic.
    @Test func asyncAPIDescribesEveryTopic() async throws {
        let converted = try await run(
            "python3",
            [
                "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)",
                Repository.url("contracts/asyncapi.yaml").path,
            ])
        try #require(converted.status == 0, "\(converted.output)")
        let document = try #require(JSONSerialization.jsonObject(with: Data(converted.output.utf8)) as? [String: Any])
        #expect(document["asyncapi"] as? String == "3.0.0")
        let channels = try #require(document["channels"] as? [String: [String: Any]])
        let operations = try #require(document["operations"] as? [String: [String: Any]])
        let messages = try #require((document["components"] as? [String: Any])?["messages"] as? [String: [String: Any]])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])

        for topic in Topic.all {
            let entry = try #require(channels.first { $0.value["address"] as? String == topic.name }, "no channel for \(topic)")
            let channelMessages = Set((entry.value["messages"] as? [String: Any] ?? [:]).keys)
            // A later version is its own message, named with its version: "SupportGrantedV2".
            let expected = Set(
                EventCatalogue.all.filter { $0.eventType.topic == topic }.map {
                    $0.eventType.name + ($0.eventType.version > 1 ? "V\($0.eventType.version)" : "")
                })
            #expect(channelMessages == expected, "\(topic)")
            for name in expected {
                let key =
                    (((messages[name]?["bindings"] as? [String: Any])?["kafka"] as? [String: Any])?["key"] as? [String: Any])?["$ref"] as? String
                let description = key.flatMap { schemas[String($0.split(separator: "/").last!)]?["description"] as? String } ?? ""
                #expect(description.lowercased().contains(topic.key), "\(name)'s key should be the \(topic.key)")
            }
            let producers = operations.values.filter {
                $0["action"] as? String == "send" && ($0["channel"] as? [String: Any])?["$ref"] as? String == "#/channels/\(entry.key)"
            }
            #expect(
                producers.count == 1 && (producers.first?["title"] as? String ?? "").hasPrefix(topic.producer),
                "\(topic) is written by \(topic.producer)")
            #expect(channels.values.contains { $0["address"] as? String == topic.deadLetter }, "no dead-letter channel for \(topic)")
        }
    }
}

/// An event type as a test argument, named in the test report.
struct EventTypeArgument: Sendable, CustomTestStringConvertible {
    let type: any DomainEvent.Type
    init(_ type: any DomainEvent.Type) { self.type = type }
    var testDescription: String { type.eventType.name }
}

/// Decodes, re-encodes and decodes again: payload and attributes must survive.
func roundTrip(_ type: any DomainEvent.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
    func open<Payload: DomainEvent>(_: Payload.Type) throws {
        let first = try EventCodec.decode(Payload.self, from: bytes)
        let again = try EventCodec.decode(Payload.self, from: EventCodec.encode(first))
        let payload = try #require(first.data as? AnyHashable, "events are Hashable", sourceLocation: sourceLocation)
        #expect(payload == again.data as? AnyHashable, sourceLocation: sourceLocation)
        #expect(first.id == again.id && first.source == again.source && first.subject == again.subject, sourceLocation: sourceLocation)
        #expect(first.time == again.time, sourceLocation: sourceLocation)
        #expect(first.correlationID == again.correlationID && first.causationID == again.causationID, sourceLocation: sourceLocation)
        let header = try EventCodec.header(of: bytes)
        #expect(header.type == Payload.eventType.description, sourceLocation: sourceLocation)
        #expect(header.subject == first.subject, sourceLocation: sourceLocation)
    }
    try open(type)
}
