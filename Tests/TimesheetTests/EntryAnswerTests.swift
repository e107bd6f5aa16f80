import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// Entries published on Kafka, answered on the results topic: each rejection
/// reason end to end (with what the service loaded from its database),
/// signatures, resends, corrections, voids and sequences.
@Suite(.serialized) struct EntryAnswerTests {
    @Test func everyReasonIsAnsweredOnTheResultsTopic() async throws {
        let harness = try await Harness.make("reasons")
        var world = try World.small()
        world.order("o-6", participant: "u-1", assistant: "a-2", of: "ngo-a", from: World.at("2022-06-01 06:00"), to: World.at("2022-06-02 06:00"))
        try await withTimesheet(harness) { [world] client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let a = try await harness.registerKey(client, for: "ngo-a")
            let b = try await harness.registerKey(client, for: "ngo-b")
            let x = try await harness.strayKey(for: "ngo-x")
            try await client.execute(uri: "/editions/2022/months/2022-05/close", method: .post, headers: try await TestTokens.headers(.operator)) {
                #expect($0.status == .created)
            }

            // First what the later entries are checked against (and must find in the database).
            try await harness.send([
                try harness.signed(World.entry("E-ok"), with: a),
                try harness.signed(
                    World.entry(
                        "E-stale", sequence: 2, provider: "ngo-b", assistant: "b-1", order: "o-4", participant: "u-3", from: "2022-06-01 10:00",
                        to: "2022-06-01 11:00"), with: b),
                try harness.signed(
                    World.entry(
                        "E-void", provider: "ngo-b", assistant: "b-1", order: "o-4", participant: "u-3", from: "2022-06-01 12:00",
                        to: "2022-06-01 13:00"), with: b),
                try harness.signed(
                    World.entry(
                        "E-void", sequence: 2, action: .void, provider: "ngo-b", assistant: "b-1", order: "o-4", participant: "u-3",
                        reason: "not delivered"), with: b),
            ])
            _ = try await harness.answers { answers in
                Set(answers.map(\.entryID)).isSuperset(of: ["E-ok", "E-stale", "E-void"]) && answers.count >= 4
            }

            var tampered = try harness.signed(World.entry("E-tampered"), with: a)
            tampered.value = try harness.signed(World.entry("E-tampered", to: "2022-06-01 11:00"), with: nil).value
            let expected: [String: TimesheetRejectionCode] = [
                "E-unsigned": .badSignature, "E-foreign-key": .badSignature, "E-tampered": .badSignature, "E-source": .badSignature,
                "E-provider": .unknownProvider, "E-assistant": .unknownAssistant, "E-order": .unknownOrder, "E-participant": .unknownParticipant,
                "E-not-assigned": .orderNotAssigned, "E-other-participant": .invalidEntry, "E-before-order": .outsideOrder,
                "E-assistant-overlap": .assistantOverlap, "E-participant-overlap": .participantOverlap, "E-daily": .assistantDailyLimit,
                "E-allowance": .allowanceExceeded, "E-closed": .monthClosed, "E-stale": .staleSequence, "E-void": .entryVoided,
                "E-nothing": .unknownEntry,
            ]
            try await harness.send([
                try harness.signed(World.entry("E-unsigned"), with: nil),
                try harness.signed(World.entry("E-foreign-key"), with: b),
                tampered,
                try harness.signed(World.entry("E-source"), with: a, source: "/providers/ngo-b"),
                try harness.signed(World.entry("E-provider", provider: "ngo-x"), with: x),
                try harness.signed(World.entry("E-assistant", assistant: "a-9"), with: a),
                try harness.signed(World.entry("E-order", order: "o-9"), with: a),
                try harness.signed(World.entry("E-participant", participant: "u-9"), with: a),
                try harness.signed(World.entry("E-not-assigned", assistant: "a-2"), with: a),
                try harness.signed(World.entry("E-other-participant", participant: "u-2"), with: a),
                try harness.signed(World.entry("E-before-order", from: "2022-06-01 05:00", to: "2022-06-01 07:00"), with: a),
                try harness.signed(
                    World.entry("E-assistant-overlap", order: "o-2", participant: "u-2", from: "2022-06-01 11:00", to: "2022-06-01 13:00"), with: a),
                try harness.signed(
                    World.entry("E-participant-overlap", assistant: "a-2", order: "o-6", from: "2022-06-01 11:00", to: "2022-06-01 12:30"), with: a),
                try harness.signed(
                    World.entry("E-daily", order: "o-2", participant: "u-2", from: "2022-06-01 13:00", to: "2022-06-01 23:30"), with: a),
                try harness.signed(
                    World.entry("E-allowance", assistant: "a-2", order: "o-6", from: "2022-06-01 14:00", to: "2022-06-01 23:00"), with: a),
                try harness.signed(
                    World.entry("E-closed", assistant: "a-2", order: "o-5", participant: "u-2", from: "2022-05-10 10:00", to: "2022-05-10 11:00"),
                    with: a),
                try harness.signed(
                    World.entry(
                        "E-stale", provider: "ngo-b", assistant: "b-1", order: "o-4", participant: "u-3", from: "2022-06-01 10:00",
                        to: "2022-06-01 11:00"), with: b),
                try harness.signed(
                    World.entry(
                        "E-void", sequence: 3, provider: "ngo-b", assistant: "b-1", order: "o-4", participant: "u-3", from: "2022-06-01 12:00",
                        to: "2022-06-01 13:00"), with: b),
                try harness.signed(World.entry("E-nothing", action: .void, reason: "typo"), with: a),
            ])
            let answers = try await harness.answers { answers in
                Set(expected.keys).isSubset(of: Set(answers.filter { $0.type == "TimesheetEntryRejected" }.map(\.entryID)))
            }
            let rejections = Dictionary(
                answers.filter { $0.type == "TimesheetEntryRejected" }.map { ($0.entryID, $0) }, uniquingKeysWith: { a, _ in a })
            for (entryID, code) in expected {
                #expect(rejections[entryID]?.code == code.rawValue, "\(entryID): \(rejections[entryID]?.description ?? "no answer")")
                #expect(rejections[entryID]?.message?.isEmpty == false, "\(entryID) has a message a clerk can act on")
            }
            // Answers are keyed by the provider the entry names, so each NGO finds its own.
            #expect(rejections["E-provider"]?.key == "ngo-x")
            #expect(rejections["E-foreign-key"]?.key == "ngo-a")
            #expect(rejections["E-stale"]?.key == "ngo-b")
            // Only the first entry counts: 2 hours of u-1's 10.
            let ok = answers.first { $0.entryID == "E-ok" }
            #expect(ok?.type == "HoursAccounted" && ok?.minutes == 120 && ok?.remainingMinutes == 480)
            #expect(try await harness.count("SELECT count(*) FROM entry_outcomes WHERE outcome = 'accepted' AND superseded_by IS NULL") == 2)
            // A forged record claims no sequence: the genuine one is still answered.
            try await harness.send([try harness.signed(World.entry("E-foreign-key", from: "2022-06-01 15:00", to: "2022-06-01 16:00"), with: a)])
            _ = try await harness.answers { $0.contains { $0.entryID == "E-foreign-key" && $0.type == "HoursAccounted" } }
        }
    }

    @Test func resendsCorrectionsVoidsAndSequences() async throws {
        let harness = try await Harness.make("versions")
        let world = try World.small()
        try await withTimesheet(harness) { [world] client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let a = try await harness.registerKey(client, for: "ngo-a")

            let original = try harness.signed(World.entry("E-1"), with: a)
            // The same record three times (a producer retrying) and the same sequence in a new record.
            try await harness.send([original, original, original, try harness.signed(World.entry("E-1"), with: a)])
            try await harness.send([
                try harness.signed(World.entry("E-1", sequence: 2, to: "2022-06-01 11:00"), with: a),
                // Out of order: 3 arrives before 2.
                try harness.signed(
                    World.entry("E-2", sequence: 3, order: "o-2", participant: "u-2", from: "2022-06-01 13:00", to: "2022-06-01 14:00"), with: a),
                try harness.signed(
                    World.entry("E-2", sequence: 2, order: "o-2", participant: "u-2", from: "2022-06-01 13:00", to: "2022-06-01 15:00"), with: a),
            ])
            try await harness.send([
                try harness.signed(World.entry("E-1", sequence: 3, action: .void, reason: "the visit did not take place"), with: a)
            ])
            var answers = try await harness.answers { answers in
                answers.filter { $0.entryID == "E-1" }.count >= 3 && answers.filter { $0.entryID == "E-2" }.count >= 2
            }
            #expect(answers.filter { $0.entryID == "E-1" }.map(\.type) == ["HoursAccounted", "TimesheetEntryCorrected", "TimesheetEntryVoided"])
            #expect(answers.filter { $0.entryID == "E-1" }.map(\.minutes) == [120, 60, 60])
            #expect(answers.filter { $0.entryID == "E-1" }.map(\.remainingMinutes) == [480, 540, 600])
            #expect(answers.filter { $0.entryID == "E-2" }.map { "\($0.type)#\($0.sequence)" } == ["HoursAccounted#3", "TimesheetEntryRejected#2"])
            #expect(answers.first { $0.entryID == "E-2" && $0.sequence == 2 }?.code == "stale-sequence")

            // A late resend of the first version changes nothing and is not answered again.
            try await harness.send([
                original,
                try harness.signed(
                    World.entry("E-marker", order: "o-2", participant: "u-2", from: "2022-06-01 16:00", to: "2022-06-01 17:00"), with: a),
            ])
            answers = try await harness.answers { $0.contains { $0.entryID == "E-marker" } }
            #expect(answers.filter { $0.entryID == "E-1" }.count == 3)
            #expect(answers.count == 6)

            // The audit trail keeps every version; none of E-1's counts any more.
            let history = try await client.execute(
                uri: "/providers/ngo-a/entries/E-1", method: .get, headers: try await TestTokens.headers(.provider, provider: "ngo-a")
            ) { response in
                #expect(response.status == .ok)
                return try JSONDecoder.api.decode(HistoryBody.self, from: Data(response.body.readableBytesView))
            }
            #expect(history.versions.map(\.sequence) == [1, 2, 3])
            #expect(history.versions.map(\.outcome) == ["accepted", "accepted", "voided"])
            #expect(history.versions.map(\.supersededBy) == [2, 3, nil])
            #expect(history.versions.map(\.counts) == [false, false, false])
            #expect(history.versions[2].reason == "the visit did not take place")
            #expect(try await harness.count("SELECT count(*) FROM entry_versions WHERE entry_id = 'E-1'") == 3)

            // The allowance counter followed the correction and the void: it holds what the counted entries add up to.
            #expect(try await harness.count("SELECT coalesce(sum(minutes), 0)::bigint FROM participant_usage WHERE participant_id = 'u-1'") == 0)
            #expect(try await harness.count("SELECT coalesce(sum(minutes), 0)::bigint FROM participant_usage WHERE participant_id = 'u-2'") == 120)
            #expect(
                try await harness.count(
                    """
                    SELECT count(*) FROM (SELECT participant_id, edition_id, sum(minutes) AS minutes FROM entry_outcomes
                                          WHERE outcome = 'accepted' AND superseded_by IS NULL GROUP BY participant_id, edition_id) counted
                    FULL JOIN participant_usage usage USING (participant_id, edition_id)
                    WHERE coalesce(counted.minutes, 0) <> coalesce(usage.minutes, 0)
                    """) == 0)
            #expect(try await harness.count(Harness.outcomesWithoutTheirVersion) == 0)
        }
    }

    @Test func aReplacedKeyStopsWorkingAfterTheGracePeriod() async throws {
        let harness = try await Harness.make("rotation", extra: ["timesheet.key_grace_seconds": "0"])
        let world = try World.small()
        try await withTimesheet(harness) { [world] client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let old = try await harness.registerKey(client, for: "ngo-a")
            let new = try await harness.registerKey(client, for: "ngo-a")
            try await harness.send([
                try harness.signed(World.entry("E-old"), with: old),
                try harness.signed(World.entry("E-new", order: "o-2", participant: "u-2"), with: new),
            ])
            let answers = try await harness.answers { Set($0.map(\.entryID)) == ["E-old", "E-new"] }
            let byEntry = Dictionary(answers.map { ($0.entryID, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byEntry["E-old"]?.code == "bad-signature")
            #expect(byEntry["E-old"]?.message?.contains("expired") == true)
            #expect(byEntry["E-new"]?.type == "HoursAccounted")
        }
    }
}

extension JSONDecoder {
    /// Reads the API's RFC 3339 dates.
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return decoder
    }()
}

/// `GET /providers/{providerID}/entries/{entryID}` as a client reads it.
struct HistoryBody: Decodable {
    var providerID: String
    var entryID: String
    var versions: [EntryVersionView]
}
