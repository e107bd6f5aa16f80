import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import Timesheet

/// Malformed and hostile requests to the five HTTP APIs: each gets its
/// documented status, stable code and (for invalid input) the field at fault,
/// valid requests in between still succeed, and every service stays ready.
@Suite("Hostile HTTP input", .serialized, .timeLimit(.minutes(5)))
struct HTTPInputTests {
    struct Case: Sendable {
        var kind: String
        var service: HostileSuite.Service
        var method: HTTPRequest.Method
        var path: String
        var credentials: Credentials = .operator
        var body: [UInt8]? = nil
        var contentType: String? = "application/json"
        var headers: HTTPFields = [:]
        var status: HTTPResponse.Status
        var code: String?
        var field: String? = nil
    }

    /// A valid application form, as JSON, changed by `edit`.
    static func form(serial: Int, _ edit: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        let birth = CalendarDate("1980-06-15")!
        var form: [String: Any] = [
            "edition": "2022",
            "person": [
                "firstName": "Anna", "lastName": "Nowak", "pesel": TestPesel.valid(born: birth, serial: serial), "birthDate": birth.description,
                "address": ["street": "ul. Świdnicka 1", "postalCode": "50-066", "city": "Wrocław"],
                "contact": ["phone": "+48 600 100 200", "email": "anna@example.org"],
            ] as [String: Any],
            "legallyIncapacitated": false,
            "certificate": ["kind": "degree", "degree": "significant", "multipleDisabilities": false, "issuedOn": "2020-01-10", "permanent": true]
                as [String: Any],
            "declaredNeeds": ["activities": ["self-care", "mobility"], "hoursPerMonth": 40] as [String: Any],
            "documents": [["kind": "certificate-copy", "reference": "ePUAP/2022/1"], ["kind": "application-form", "reference": "ePUAP/2022/2"]],
        ]
        edit(&form)
        return Array(try! JSONSerialization.data(withJSONObject: form))
    }

    static func person(_ form: inout [String: Any], _ key: String, _ value: Any) {
        var person = form["person"] as! [String: Any]
        person[key] = value
        form["person"] = person
    }

    static func json(_ object: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: object)) }

    static func cases(_ world: World, entry: [UInt8]) -> [Case] {
        let order: [String: Any] = [
            "participantID": world.participant.rawValue, "date": "2022-06-10", "start": "09:00", "end": "10:00",
            "activity": "mobility", "place": "ul. Strzegomska 6, Wrocław",
        ]
        func orderWith(_ edit: (inout [String: Any]) -> Void) -> [UInt8] {
            var body = order
            edit(&body)
            return json(body)
        }
        let future = CalendarDate("2099-03-01")!
        let sqlID = "%27%3B%20DROP%20TABLE%20orders%3B%20--"
        return [
            Case(
                kind: "broken JSON", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: Array(#"{"participantID": "#.utf8), status: .badRequest, code: "malformed-json"),
            Case(
                kind: "empty body", service: .ordering, method: .post, path: "/orders", credentials: .coordinator, body: [], status: .badRequest,
                code: "malformed-json"),
            Case(
                kind: "wrong content type", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: Array("participantID=p-1&date=2022-06-10".utf8),
                contentType: "application/x-www-form-urlencoded", status: .unsupportedMediaType, code: "unsupported-media-type"),
            Case(
                kind: "NGO entry sent as text", service: .timesheet, method: .post, path: "/submissions",
                credentials: .role(.provider, provider: World.ngo.rawValue),
                body: entry, contentType: "text/plain", status: .unsupportedMediaType, code: "unsupported-media-type"),
            Case(
                kind: "body over the limit", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["place"] = String(repeating: "x", count: 300 * 1024) }, status: .contentTooLarge, code: "too-large"),
            Case(
                kind: "NGO entry over the limit", service: .timesheet, method: .post, path: "/submissions",
                credentials: .role(.provider, provider: World.ngo.rawValue),
                body: Array(repeating: UInt8(ascii: " "), count: 300 * 1024), contentType: "application/cloudevents+json", status: .contentTooLarge,
                code: "too-large"),
            Case(
                kind: "wrong JSON type", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["date"] = 20_220_610 },
                status: .unprocessableContent, code: "invalid-input", field: "date"),
            Case(
                kind: "missing required field", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["participantID"] = nil },
                status: .unprocessableContent, code: "invalid-input", field: "participantID"),
            Case(
                kind: "unknown enum value", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["activity"] = "skydiving" },
                status: .unprocessableContent, code: "invalid-input", field: "activity"),
            Case(
                kind: "negative hours", service: .intake, method: .post, path: "/applications",
                body: form(serial: 11) { $0["declaredNeeds"] = ["activities": ["mobility"], "hoursPerMonth": -5] },
                status: .unprocessableContent, code: "invalid-input", field: "declaredNeeds.hoursPerMonth"),
            Case(
                kind: "zero hours", service: .intake, method: .post, path: "/applications",
                body: form(serial: 12) { $0["declaredNeeds"] = ["activities": ["mobility"], "hoursPerMonth": 0] },
                status: .unprocessableContent, code: "invalid-input", field: "declaredNeeds.hoursPerMonth"),
            Case(
                kind: "absurd hours", service: .intake, method: .post, path: "/applications",
                body: form(serial: 13) { $0["declaredNeeds"] = ["activities": ["mobility"], "hoursPerMonth": 1_000_000] },
                status: .unprocessableContent, code: "invalid-input", field: "declaredNeeds.hoursPerMonth"),
            Case(
                kind: "an order outside the edition", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["date"] = "2023-06-10" },
                status: .unprocessableContent, code: "outside-grant-period"),
            Case(
                kind: "an order ending where it starts", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["end"] = "09:00" },
                status: .unprocessableContent, code: "invalid-input", field: "end"),
            Case(
                kind: "a certificate valid until before its issue", service: .intake, method: .post, path: "/applications",
                body: form(serial: 14) {
                    $0["certificate"] = ["kind": "degree", "degree": "moderate", "issuedOn": "2020-01-10", "validUntil": "2019-01-10"]
                },
                status: .unprocessableContent, code: "invalid-input", field: "certificate.validUntil"),
            Case(
                kind: "availability ending before it starts", service: .ordering, method: .post, path: "/providers/\(World.ngo)/assistants",
                credentials: .coordinator,
                body: json(["skills": ["wheelchair"], "availability": [["weekday": 1, "from": "16:00", "to": "08:00"]]]),
                status: .unprocessableContent, code: "invalid-input", field: "availability[0].to"),
            Case(
                kind: "SQL in an id", service: .ordering, method: .get, path: "/orders/\(sqlID)", credentials: .coordinator, status: .notFound,
                code: "not-found"),
            Case(
                kind: "SQL in a body id", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["participantID"] = "'; DROP TABLE allowances; --" }, status: .unprocessableContent, code: "no-grant"),
            Case(
                kind: "path traversal in an application id", service: .intake, method: .get, path: "/applications/..%2F..%2Fetc%2Fpasswd",
                status: .notFound, code: "not-found"),
            Case(
                kind: "path traversal in an entry id", service: .timesheet, method: .get,
                path: "/providers/\(World.ngo)/entries/..%2F..%2F..%2Fetc%2Fshadow",
                credentials: .role(.provider, provider: World.ngo.rawValue), status: .notFound, code: "not-found"),
            Case(
                kind: "path traversal in an export table", service: .reporting, method: .get,
                path: "/editions/2022/export.csv?table=..%2F..%2Fetc%2Fpasswd",
                status: .unprocessableContent, code: "invalid-input", field: "table"),
            Case(
                kind: "invalid PESEL checksum", service: .intake, method: .post, path: "/applications",
                body: form(serial: 15) { person(&$0, "pesel", Self.brokenChecksum(serial: 15)) },
                status: .unprocessableContent, code: "invalid-input", field: "person.pesel"),
            Case(
                kind: "future birth date", service: .intake, method: .post, path: "/applications",
                body: form(serial: 16) {
                    person(&$0, "birthDate", future.description)
                    person(&$0, "pesel", TestPesel.valid(born: future, serial: 16))
                },
                status: .unprocessableContent, code: "invalid-input", field: "person.birthDate"),
            Case(
                kind: "NUL in a name", service: .intake, method: .post, path: "/applications",
                body: form(serial: 17) { person(&$0, "firstName", "An\u{0}na") },
                status: .unprocessableContent, code: "invalid-input", field: "person.firstName"),
            Case(
                kind: "NUL in free text", service: .ordering, method: .post, path: "/orders", credentials: .coordinator,
                body: orderWith { $0["place"] = "ul. Strzegomska\u{0} 6" },
                status: .unprocessableContent, code: "invalid-input", field: "place"),
            Case(
                kind: "NUL in a justification", service: .eligibility, method: .post, path: "/decisions/confirmations",
                body: json(["decisionIDs": ["d-none"], "justification": "confirmed\u{0}; DROP TABLE decisions"]),
                status: .unprocessableContent, code: "invalid-input", field: "justification"),
            Case(
                kind: "NUL in an excluded participant's id", service: .ordering, method: .post, path: "/providers/\(World.ngo)/assistants",
                credentials: .coordinator,
                body: json(["skills": [], "availability": [], "excludedParticipants": ["u-1", "u\u{0}2"]]),
                status: .unprocessableContent, code: "invalid-input", field: "excludedParticipants[1]"),
            Case(
                kind: "null for a list that may be left out", service: .ordering, method: .post, path: "/providers/\(World.ngo)/assistants",
                credentials: .coordinator,
                body: Array(#"{"skills": [], "availability": [], "excludedParticipants": null}"#.utf8),
                status: .unprocessableContent, code: "invalid-input", field: "excludedParticipants"),
            Case(
                kind: "null for a period that may be left out", service: .eligibility, method: .post, path: "/decisions/d-none/override",
                credentials: .operator,
                body: Array(#"{"outcome": "granted", "hours": 1, "justification": "0", "period": null}"#.utf8),
                status: .unprocessableContent, code: "invalid-input", field: "period"),
            Case(
                kind: "null deep in a form", service: .intake, method: .post, path: "/applications",
                body: form(serial: 20) {
                    $0["documents"] = [
                        ["kind": "certificate-copy", "reference": "ePUAP/2022/1"], ["kind": "application-form", "reference": NSNull()],
                    ]
                },
                status: .unprocessableContent, code: "invalid-input", field: "documents[1].reference"),
            Case(
                kind: "a participant id longer than any", service: .ordering, method: .get,
                path: "/participants/\(String(repeating: "0", count: 129))/orders", credentials: .coordinator,
                status: .notFound, code: "not-found"),
            Case(
                kind: "a key for a provider nobody registered", service: .timesheet, method: .post, path: "/providers/ngo-nobody/keys",
                credentials: .operator,
                status: .notFound, code: "unknown-provider"),
            Case(
                kind: "a known path asked with another method", service: .ordering, method: .delete, path: "/orders", credentials: .coordinator,
                status: .methodNotAllowed, code: "method-not-allowed"),
            Case(
                kind: "RTL override in a name", service: .intake, method: .post, path: "/applications",
                body: form(serial: 18) { person(&$0, "lastName", "\u{202E}kawoN") },
                status: .unprocessableContent, code: "invalid-input", field: "person.lastName"),
            Case(
                kind: "incomplete CloudEvent over HTTP", service: .timesheet, method: .post, path: "/submissions",
                credentials: .role(.provider, provider: World.ngo.rawValue),
                body: Array(#"{"specversion":"1.0"}"#.utf8), contentType: "application/cloudevents+json", status: .unprocessableContent,
                code: "invalid-entry", field: "id"),
            Case(
                kind: "forged signature over HTTP", service: .timesheet, method: .post, path: "/submissions",
                credentials: .role(.provider, provider: World.ngo.rawValue),
                body: entry, contentType: "application/cloudevents+json",
                headers: [
                    HTTPField.Name("Asysta-Signature")!: "keyId=\(world.currentKey.keyID),alg=hmac-sha256,sig=\(String(repeating: "ab", count: 32))"
                ],
                status: .unauthorized, code: "bad-signature"),
        ]
    }

    /// A PESEL of the right shape whose check digit is wrong.
    static func brokenChecksum(serial: Int) -> String {
        let valid = TestPesel.valid(born: CalendarDate("1980-06-15")!, serial: serial)
        let digit = Int(String(valid.last!))!
        return String(valid.dropLast()) + String((digit + 1) % 10)
    }

    @Test("each hostile request gets its documented error; valid ones in between succeed; every service stays ready")
    func hostileRequests() async throws {
        try await HostileSuite.run { suite in
            let world = try await World.prepare(on: suite)
            let ngo = NGORecords(topic: suite.topic(.timesheetSubmissions), world: world)
            let cases = Self.cases(world, entry: try ngo.bytes(ngo.entry("H-http", from: "15:00", to: "15:30")))
            #expect(Set(cases.map(\.kind)).count == cases.count)
            var placed: [String] = []
            for (index, test) in cases.enumerated() {
                let answer = try await suite.client(test.service).call(
                    test.method, test.path, as: test.credentials, body: test.body, contentType: test.contentType, headers: test.headers)
                #expect(answer.status == test.status, "\(test.kind): \(answer.status) \(answer.body)")
                #expect(answer.code == test.code, "\(test.kind): \(answer.body)")
                if let field = test.field { #expect(answer.fields.contains(field), "\(test.kind): fields \(answer.fields)") }

                // A valid order between hostile requests, its place text as hostile as it gets.
                if index % 5 == 0 {
                    let place = "'); DROP TABLE orders; -- 🙂 \(index)"
                    let order = try await suite.ordering.call(
                        .post, "/orders", as: .coordinator,
                        json: [
                            "participantID": world.participant.rawValue, "date": "2022-06-1\(index / 5)", "start": "14:00", "end": "14:30",
                            "activity": "culture", "place": place,
                        ])
                    #expect(order.status == .created, "valid order \(index): \(order.body)")
                    if let id = order.body["orderID"] as? String { placed.append(id) }
                }
            }

            // Unicode that is only unusual is accepted; the same person twice is one application.
            let emoji = Self.form(serial: 19) { Self.person(&$0, "firstName", "Zoë 🙂") }
            let first = try await suite.intake.call(.post, "/applications", as: .operator, body: emoji)
            #expect(first.status == .created, "\(first.body)")
            let again = try await suite.intake.call(.post, "/applications", as: .operator, body: emoji)
            #expect(again.status == .conflict)
            #expect(again.code == "duplicate-application")
            #expect(again.details["applicationID"] == first.body["id"] as? String)

            // Nothing valid was lost: every order placed between the hostile requests is there, as sent.
            #expect(placed.count == (cases.count + 4) / 5)
            for id in placed {
                let order = try await suite.ordering.call(.get, "/orders/\(id)", as: .coordinator)
                #expect(order.status == .ok)
                #expect((order.body["place"] as? String)?.hasPrefix("'); DROP TABLE orders; -- 🙂") == true, "\(order.body)")
            }
            try await suite.expectEveryServiceReady()
        }
    }
}
