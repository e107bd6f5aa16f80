import Domain
import EventJSON
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import Testing

@testable import Timesheet

/// Two timesheet replicas in one consumer group, on one database, drain a
/// backlog of 20 000 entries from four NGOs: every entry is answered once and
/// counted once, and the counted minutes are the submitted ones.
@Suite struct ReplicaBacklogTests {
    static let providers = 4, assistantsPerProvider = 10, participantsPerAssistant = 10, days = 50

    @Test func twoReplicasCountEachEntryExactlyOnce() async throws {
        let harness = try await Harness.make("replicas", extra: ["kafka.partitions": "6"])
        var world = try World()
        let orderStart = World.at("2022-06-01 00:00")
        let orderEnd = World.at("2022-08-01 00:00")
        for p in 0..<Self.providers {
            world.provider("p-\(p)")
            for a in 0..<Self.assistantsPerProvider {
                let assistant = "a-\(p)-\(a)"
                world.assistant(assistant, of: "p-\(p)")
                for k in 0..<Self.participantsPerAssistant {
                    let participant = "u-\(p)-\(a)-\(k)"
                    world.participant(participant, hours: 720)
                    world.order("o-\(participant)", participant: participant, assistant: assistant, of: "p-\(p)", from: orderStart, to: orderEnd)
                }
            }
        }

        let first = try await buildApplication(settings: harness.settings)
        let second = try await buildApplication(settings: harness.settings)
        try await first.test(.router) { [world] client in
            try await second.test(.router) { _ in
                try await world.publish(with: harness)
                try await harness.waitForWorld(world)
                var keys: [String: NGOKey] = [:]
                for p in 0..<Self.providers { keys["p-\(p)"] = try await harness.registerKey(client, for: ProviderID("p-\(p)")) }

                // Day by day, each assistant works ten one-hour slots, each for another participant.
                var records: [KafkaOutgoingMessage] = []
                var submittedMinutes = 0
                let calendar = { () -> Calendar in
                    var c = Calendar(identifier: .gregorian)
                    c.timeZone = TimeZone(identifier: "Europe/Warsaw")!
                    return c
                }()
                for day in 0..<Self.days {
                    let date = calendar.date(byAdding: .day, value: day, to: World.at("2022-06-01 08:00"))!
                    for p in 0..<Self.providers {
                        for a in 0..<Self.assistantsPerProvider {
                            for k in 0..<Self.participantsPerAssistant {
                                let start = date.addingTimeInterval(TimeInterval(k * 3600))
                                let participant = "u-\(p)-\(a)-\(k)"
                                let entry = TimesheetEntrySubmitted(
                                    providerID: ProviderID("p-\(p)"), entryID: "E-\(a)-\(day)-\(k)", sequence: 1,
                                    assistantID: AssistantID("a-\(p)-\(a)"),
                                    orderID: OrderID("o-\(participant)"), participantID: ParticipantID(participant),
                                    start: start, end: start.addingTimeInterval(3600), activity: .socialLife)
                                records.append(try harness.signed(entry, with: keys["p-\(p)"]))
                                submittedMinutes += entry.minutes
                            }
                        }
                    }
                }
                // Resends: 50 records again as they were, and 50 sequences again in new records.
                let resent = stride(from: 0, to: records.count, by: 400).map { records[$0] }
                let resentAsNew = try stride(from: 200, to: records.count, by: 400).map { index in
                    let envelope = try EventCodec.decode(TimesheetEntrySubmitted.self, from: records[index].value)
                    return try harness.signed(envelope.data, with: keys[envelope.data.providerID.rawValue])
                }
                let all = records + resent + resentAsNew
                let started = ContinuousClock.now
                try await harness.send(all)
                let published = ContinuousClock.now

                let group = harness.namespace + "-timesheet"
                try await harness.waitUntil("every record was consumed", timeout: .seconds(180)) { [records] in
                    try await harness.count("SELECT count(*) FROM inbox WHERE consumer = \(group)") == records.count + resentAsNew.count
                }
                let drained = ContinuousClock.now
                try await harness.waitUntil("every answer was published", timeout: .seconds(60)) {
                    try await harness.count("SELECT count(*) FROM outbox") == 0
                }
                let answers = try await harness.answers(timeout: .seconds(120)) { [records] in $0.count >= records.count }
                print(
                    "timesheet backlog: \(records.count) entries (+\(resent.count + resentAsNew.count) resends) from \(Self.providers) NGOs, 2 replicas: "
                        + "published in \(published - started), consumed and answered in \(drained - started) "
                        + "(\(Int(Double(all.count) / Self.seconds(drained - started))) records/s)")

                #expect(answers.count == records.count)
                #expect(Set(answers.map { "\($0.key)/\($0.entryID)" }).count == records.count)
                #expect(answers.allSatisfy { $0.type == "HoursAccounted" })
                #expect(try await harness.count("SELECT count(*) FROM entry_versions") == records.count)
                #expect(
                    try await harness.count("SELECT count(*) FROM entry_outcomes WHERE outcome = 'accepted' AND superseded_by IS NULL")
                        == records.count)
                #expect(try await harness.count(Harness.outcomesWithoutTheirVersion) == 0)
                #expect(
                    try await harness.count("SELECT count(DISTINCT (provider_id, entry_id)) FROM entry_outcomes WHERE outcome = 'accepted'")
                        == records.count)
                #expect(
                    try await harness.count(
                        "SELECT coalesce(sum(minutes), 0)::bigint FROM entry_outcomes WHERE outcome = 'accepted' AND superseded_by IS NULL")
                        == submittedMinutes)
                #expect(answers.reduce(0) { $0 + ($1.minutes ?? 0) } == submittedMinutes)
                // Each participant: 50 hours of 720.
                #expect(
                    try await harness.count(
                        """
                        SELECT count(*) FROM (SELECT participant_id FROM entry_outcomes WHERE outcome = 'accepted' GROUP BY participant_id HAVING sum(minutes) = \(Self.days * 60)) AS p
                        """) == Self.providers * Self.assistantsPerProvider * Self.participantsPerAssistant)
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
