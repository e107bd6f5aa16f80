import Foundation
import TestSupport
import Testing

@testable import Domain
@testable import EventJSON

/// Anything a producer can send maps to a specific `EventDecodingError`.
@Suite struct DecodingErrorTests {
    func document(_ type: any DomainEvent.Type) throws -> JSONDocument {
        try JSONDocument(Repository.example(type))
    }

    func error(_ type: any DomainEvent.Type, _ change: (inout JSONDocument) -> Void) throws -> EventDecodingError? {
        var doc = try document(type)
        change(&doc)
        return decodingError(type, doc.bytes)
    }

    @Test func malformedJSON() {
        for text in ["", "{", "not json", "{\"specversion\": \"1.0\"", "[1, 2", "}", "{\"a\" 1}", "nul"] {
            #expect(decodingError(MonthClosed.self, Array(text.utf8))?.code == .malformedJSON, "\(text)")
        }
        // Valid JSON that is not an object is not an event either.
        for text in ["[]", "\"text\"", "42", "null"] {
            #expect(decodingError(MonthClosed.self, Array(text.utf8)) != nil, "\(text)")
        }
    }

    @Test func anotherEventsTypeIsATypeMismatch() throws {
        let error = decodingError(HoursAccounted.self, try Repository.example(MonthClosed.self))
        #expect(error?.code == .typeMismatch)
        // The same envelope with the expected type but the other event's data is missing fields.
        let renamed = try self.error(HoursAccounted.self) { $0.set("type", "asysta.timesheet.TimesheetEntryVoided.v1") }
        #expect(renamed?.code == .typeMismatch)
    }

    @Test func missingParticipantID() throws {
        let error = try #require(try self.error(ApplicationSubmitted.self) { $0.set("data.participantID", nil) })
        #expect(error.code == .missingField)
        #expect(error.field == "data.participantID")
        #expect(error.code.rawValue == "missing-field")
    }

    @Test func missingAttributesAndNestedFields() throws {
        #expect(try error(MonthClosed.self) { $0.set("id", nil) }?.field == "id")
        #expect(try error(MonthClosed.self) { $0.set("data", nil) }?.field == "data")
        #expect(try error(ApplicationSubmitted.self) { $0.set("data.age.nextBirthday", nil) }?.field == "data.age.nextBirthday")
        #expect(try error(ApplicationSubmitted.self) { $0.set("data.participantID", NSNull()) }?.code == .missingField)
    }

    @Test func wrongJSONTypeNamesTheField() throws {
        let cases: [(any DomainEvent.Type, String, Any)] = [
            (TimesheetEntrySubmitted.self, "data.sequence", "1"),
            (ApplicationSubmitted.self, "data.age.years", "34"),
            (ApplicationSubmitted.self, "data.residesInProgrammeArea", "yes"),
            (ApplicationSubmitted.self, "data.documents", "certificate-copy"),
            (ProviderRegistered.self, "data.hourlyRate", 40),
            (ProviderRegistered.self, "data.providerID", 17),
            (MonthClosed.self, "id", 1),
        ]
        for (type, field, value) in cases {
            let error = try #require(try self.error(type) { $0.set(field, value) }, "\(field)")
            #expect(error.code == .wrongFieldType, "\(field): \(error)")
            #expect(error.field == field, "\(error)")
        }
    }

    /// An object sent where a string is expected, and the reverse.
    @Test func wrongJSONTypeForObjects() throws {
        let error = try #require(try self.error(MonthClosed.self) { $0.set("data", "2022-06") })
        #expect(error.code == .wrongFieldType)
        #expect(error.field == "data")
        #expect(error.message.contains("an object"), "\(error.message)")

        let nested = try #require(try self.error(ApplicationSubmitted.self) { $0.set("data.submittedOn", ["year": 2022]) })
        #expect(nested.code == .wrongFieldType)
        #expect(nested.field == "data.submittedOn")
    }

    @Test func invalidValues() throws {
        let cases: [(any DomainEvent.Type, String, Any)] = [
            (OrderPlaced.self, "data.activity", "shopping"),
            (OrderCancelled.self, "data.cancelledBy", "Participant"),
            (ApplicationSubmitted.self, "data.submittedOn", "2022-02-30"),
            (ApplicationSubmitted.self, "data.submittedOn", "09.05.2022"),
            (MonthClosed.self, "data.month", "2022-13"),
            (ProviderRegistered.self, "data.hourlyRate", "40.000"),
            (ProviderRegistered.self, "data.hourlyRate", "abc"),
            (ProviderRegistered.self, "data.hourlyRate", ""),
            (ProviderRegistered.self, "data.providerID", ""),
            (ProviderRegistered.self, "data.providerID", String(repeating: "a", count: 129)),
            (OrderPlaced.self, "data.start", "yesterday"),
            (MonthClosed.self, "time", "2022-07-05 12:00:00Z"),
            (TimesheetEntryRejected.self, "data.code", "too-late"),
        ]
        for (type, field, value) in cases {
            let error = try #require(try self.error(type) { $0.set(field, value) }, "\(field) = \(value)")
            #expect(error.code == .invalidValue, "\(field) = \(value): \(error)")
            #expect(error.field == field, "\(error)")
        }
    }

    @Test func timestampWithoutAZoneIsRefused() throws {
        for field in ["data.start", "data.end"] {
            let error = try #require(try self.error(TimesheetEntrySubmitted.self) { $0.set(field, "2022-06-07T09:00:00") })
            #expect(error.code == .invalidValue)
            #expect(error.field == field)
        }
        #expect(try error(MonthClosed.self) { $0.set("time", "2022-07-05T12:00:00") }?.code == .invalidValue)
        // Offsets other than Z are fine.
        #expect(try error(MonthClosed.self) { $0.set("time", "2022-07-05T14:00:00.125+02:00") } == nil)
        #expect(try error(MonthClosed.self) { $0.set("time", "2022-07-05T08:30:00-03:30") } == nil)
    }

    @Test func unsupportedSpecversion() throws {
        let error = try #require(try self.error(MonthClosed.self) { $0.set("specversion", "0.3") })
        #expect(error.code == .unsupportedVersion)
        #expect(error.code.rawValue == "unsupported-specversion")
        #expect(try self.error(MonthClosed.self) { $0.set("specversion", nil) }?.code == .missingField)
    }

    @Test func otherContentTypesAreRefused() throws {
        let error = try #require(try self.error(MonthClosed.self) { $0.set("datacontenttype", "application/xml") })
        #expect(error.code == .invalidValue)
        #expect(error.field == "datacontenttype")
        // The attribute is optional on input.
        #expect(try self.error(MonthClosed.self) { $0.set("datacontenttype", nil) } == nil)
    }

    @Test func aDataschemaMustBeTheTypesOwn() throws {
        let error = try #require(try self.error(TimesheetEntrySubmitted.self) { $0.set("dataschema", HoursAccounted.eventType.schema) })
        #expect(error.code == .invalidValue)
        #expect(error.field == "dataschema")
        // Optional on input, as in CloudEvents: the NGO guide's entry has none.
        #expect(try self.error(TimesheetEntrySubmitted.self) { $0.set("dataschema", nil) } == nil)
    }

    @Test func tooLarge() throws {
        let error = try #require(try self.error(TimesheetEntrySubmitted.self) { $0.set("data.note", String(repeating: "a", count: 256 * 1024)) })
        #expect(error.code == .tooLarge)
        #expect(decodingError(MonthClosed.self, [UInt8](repeating: 0x20, count: EventCodec.maximumSize + 1))?.code == .tooLarge)
        #expect(throws: EventDecodingError.self) { try EventCodec.header(of: [UInt8](repeating: 0x20, count: EventCodec.maximumSize + 1)) }
    }

    @Test func validationRulesNameTheField() throws {
        let swapped = try #require(
            try self.error(TimesheetEntrySubmitted.self) {
                $0.set("data.start", "2022-06-07T12:30:00+02:00")
                $0.set("data.end", "2022-06-07T09:00:00+02:00")
            })
        #expect(swapped.code == .invalidValue)
        #expect(swapped.field == "data.end")

        let cases: [(any DomainEvent.Type, (inout JSONDocument) -> Void, String)] = [
            (OrderPlaced.self, { $0.set("data.end", "2022-06-07T07:00:00Z") }, "data.end"),
            (OrderAssigned.self, { $0.set("data.end", "2022-06-07T06:00:00Z") }, "data.end"),
            (TimesheetEntrySubmitted.self, { $0.set("data.end", "2022-06-08T09:00:01+02:00") }, "data.end"),
            (TimesheetEntrySubmitted.self, { $0.set("data.sequence", 0) }, "data.sequence"),
            (TimesheetEntrySubmitted.self, { $0.set("data.entryID", "") }, "data.entryID"),
            (TimesheetEntrySubmitted.self, { $0.set("data.entryID", String(repeating: "k", count: 65)) }, "data.entryID"),
            (TimesheetEntrySubmitted.self, { $0.set("data.note", String(repeating: "n", count: 2001)) }, "data.note"),
            (TimesheetEntrySubmitted.self, { $0.set("data.action", "void") }, "data.reason"),
            (
                TimesheetEntrySubmitted.self,
                {
                    $0.set("data.action", "void")
                    $0.set("data.reason", "  ")
                }, "data.reason"
            ),
            (ServiceRated.self, { $0.set("data.scores", [["question": "punctuality", "score": 6]]) }, "data.scores[0].score"),
            (ServiceRated.self, { $0.set("data.scores", [[String: Any]]()) }, "data.scores"),
            (SupportGranted.self, { $0.set("data.hours", 0) }, "data.hours"),
            (ApplicationSubmitted.self, { $0.set("data.age.years", 130) }, "data.age.years"),
            (ApplicationSubmitted.self, { $0.set("data.declaredNeeds.hoursPerMonth", 745) }, "data.declaredNeeds.hoursPerMonth"),
            (SupportGranted.self, { $0.set("data.period.end", "2022-05-15") }, "data.period.end"),
        ]
        for (type, change, field) in cases {
            let error = try #require(try self.error(type, change), "\(field)")
            #expect(error.code == .invalidValue, "\(error)")
            #expect(error.field == field, "\(error)")
        }
    }

    @Test func messagesDoNotEchoLongInput() throws {
        let secret = String(repeating: "9", count: 500)
        let error = try #require(try self.error(ApplicationSubmitted.self) { $0.set("data.submittedOn", secret) })
        #expect(error.message.count < 200, "\(error.message)")
    }

    /// Random mutations of valid examples never crash the decoder: each one decodes or
    /// throws an EventDecodingError.
    @Test(arguments: [TimesheetEntrySubmitted.self, ApplicationSubmitted.self, EditionPublished.self, ServiceRated.self] as [any DomainEvent.Type])
    func mutationsNeverCrash(_ type: any DomainEvent.Type) throws {
        var random = SplitMix64(seed: 0xA5A5_2022 &+ UInt64(type.eventType.name.utf8.count))
        let original = try Repository.example(type)
        var decoded = 0
        var refused = 0
        for _ in 0..<400 {
            let bytes = random.mutation(of: original)
            do {
                func open<Payload: DomainEvent>(_: Payload.Type) throws(EventDecodingError) { _ = try EventCodec.decode(Payload.self, from: bytes) }
                try open(type)
                decoded += 1
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(decoded + refused == 400)
        #expect(refused > 0)
    }

    @Test func randomBytesAndEveryTruncationNeverCrash() throws {
        var random = SplitMix64(seed: 42)
        for length in [0, 1, 2, 7, 64, 1000, 20_000] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(decodingError(OrderPlaced.self, bytes) != nil)
        }
        let example = try Repository.example(OrderPlaced.self)
        // Everything before the closing brace is incomplete JSON (the file ends with "}\n").
        let closingBrace = try #require(example.lastIndex(of: UInt8(ascii: "}")))
        for length in 0..<closingBrace {
            #expect(decodingError(OrderPlaced.self, Array(example.prefix(length))) != nil, "prefix \(length)")
        }
        #expect(decodingError(OrderPlaced.self, example) == nil)
    }
}

extension SplitMix64 {
    /// `bytes` with one to four random changes: bytes overwritten, removed or
    /// inserted, a truncation, or JSON's own punctuation scattered in.
    mutating func mutation(of bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        for _ in 0...next(below: 3) {
            let position = next(below: bytes.count)
            switch next(below: 6) {
            case 0: bytes[position] = UInt8(truncatingIfNeeded: next())
            case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + next(below: 16)))
            case 2: bytes.insert(contentsOf: (0..<(1 + next(below: 8))).map { _ in UInt8(truncatingIfNeeded: next()) }, at: position)
            case 3: bytes = Array(bytes.prefix(position))
            case 4: bytes.insert(contentsOf: Array("\"\\u0000{[,:]}".utf8).shuffled(using: &self), at: position)
            default: bytes[position] = Array("{}[]\",:0-9.eE tfn\\".utf8)[next(below: 18)]
            }
            if bytes.isEmpty { break }
        }
        return bytes
    }
}
