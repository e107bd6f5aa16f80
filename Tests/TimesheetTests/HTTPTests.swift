import Domain
import EventJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceRuntime
import TestSupport
import Testing

@testable import Timesheet

/// The HTTP routes: submissions over HTTP, keys, closing months, the audit
/// trail, and the OpenAPI document matching the routes.
@Suite struct HTTPTests {
    @Test func anEntryPostedOverHTTPIsAnsweredLikeOnePublished() async throws {
        let harness = try await Harness.make("http")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let key = try await harness.registerKey(client, for: "ngo-a")
            let record = try harness.signed(World.entry("KRU/2022/06/0147"), with: key)
            let signature = String(decoding: record.headers[0].value ?? [], as: UTF8.self)

            // Tampered bytes, a missing header, a broken document: answered at once, nothing queued.
            // Still a well-formed entry, one hour later than what was signed.
            let tampered = Array(String(decoding: record.value, as: UTF8.self).replacingOccurrences(of: "T10:", with: "T11:").utf8)
            #expect(tampered != record.value)
            for (body, header, status, code) in [
                (tampered, signature, HTTPResponse.Status.unauthorized, "bad-signature"),
                (record.value, nil, .unauthorized, "bad-signature"),
                (Array(#"{"specversion":"1.0"}"#.utf8), signature, .unprocessableContent, "invalid-entry"),
            ] as [([UInt8], String?, HTTPResponse.Status, String)] {
                var headers = try await TestTokens.headers(.provider, provider: "ngo-a")
                if let header { headers[HTTPField.Name("Asysta-Signature")!] = header }
                try await client.execute(uri: "/submissions", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == status)
                    #expect(String(buffer: response.body).contains("\"code\":\"\(code)\""))
                }
            }
            #expect(
                try await BrokerObserver.published(on: [harness.topic(.timesheetSubmissions)], outboxOf: harness.pool).isEmpty,
                "nothing put on the submissions topic")

            let signed = try await TestTokens.headers(.provider, provider: "ngo-a", adding: [HTTPField.Name("Asysta-Signature")!: signature])
            try await client.execute(uri: "/submissions", method: .post, headers: signed, body: ByteBuffer(bytes: record.value)) { response in
                #expect(response.status == .accepted)
                let body = String(buffer: response.body)
                #expect(body.contains("\"topic\":\"\(harness.topic(.timesheetResults))\""))
                #expect(body.contains("\"history\":\"/providers/ngo-a/entries/KRU%2F2022%2F06%2F0147\""))
            }
            let answers = try await harness.answers { !$0.isEmpty }
            #expect(answers.map(\.type) == ["HoursAccounted"])
            #expect(answers.first?.entryID == "KRU/2022/06/0147")
            // The stored version is the NGO's record, byte for byte, with its signature.
            let stored = try await harness.pool.withConnection { connection in
                try await connection.query("SELECT record, signature FROM entry_versions").first!
            }
            #expect(try stored.decode([UInt8].self, at: 0) == record.value)
            #expect(try stored.decode(String.self, at: 1) == signature)

            let ngoA = try await TestTokens.headers(.provider, provider: "ngo-a")
            try await client.execute(uri: "/providers/ngo-a/entries/KRU%2F2022%2F06%2F0147", method: .get, headers: ngoA) { response in
                #expect(response.status == .ok)
                let history = try JSONDecoder.api.decode(HistoryBody.self, from: Data(response.body.readableBytesView))
                #expect(history.versions.map(\.outcome) == ["accepted"])
                #expect(history.versions.first?.counts == true && history.versions.first?.minutes == 120)
            }
            try await client.execute(uri: "/providers/ngo-a/entries/nothing", method: .get, headers: ngoA) { #expect($0.status == .notFound) }
        }
    }

    @Test func closingAMonth() async throws {
        let harness = try await Harness.make("months")
        let world = try World.small()
        try await withTimesheet(harness) { client in
            try await world.publish(with: harness)
            try await harness.waitForWorld(world)
            let operatorHeaders = try await TestTokens.headers(.operator)
            try await client.execute(uri: "/editions/2022/months/2022-06/close", method: .post, headers: operatorHeaders) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/editions/2022/months/2022-06/close", method: .post, headers: operatorHeaders) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"alreadyClosed\":true"))
            }
            try await client.execute(uri: "/editions/1999/months/1999-06/close", method: .post, headers: operatorHeaders) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/editions/2022/months/2023-01/close", method: .post, headers: operatorHeaders) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/editions/2022/months/june/close", method: .post, headers: operatorHeaders) {
                #expect($0.status == .unprocessableContent)
            }
            // Announced once, through the outbox.
            let announced = try await BrokerObserver.published(on: [harness.topic(.timesheetPeriods)], outboxOf: harness.pool)
            #expect(try announced.map { try EventCodec.decode(MonthClosed.self, from: $0.value).data.month } == [YearMonth("2022-06")!])
        }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteAnswers() async throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let service = here.appendingPathComponent("../../Services/Timesheet")
        let yaml = try String(contentsOf: service.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var documented = Set<String>()
        var path: String?
        for line in yaml.split(separator: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let current = path, let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                documented.insert("\(method.uppercased()) \(current)")
            } else if !line.hasPrefix(" ") {
                path = nil
            }
        }
        // The routes as the code declares them (`routes.post("providers/{providerID}/keys")`).
        // Plus the documents themselves and the operators' routes every service shares (ServiceRuntime's
        // OutboxRoutes, DeadLetterRoutes and ConsumerRoutes).
        var declared = Set([
            "GET /openapi.yaml", "GET /asyncapi.yaml", "GET /admin/outbox/parked", "POST /admin/outbox/parked/replay", "GET /admin/dead-letters",
            "POST /admin/dead-letters/replay", "GET /admin/consumers",
        ])
        let routes = try FileManager.default.contentsOfDirectory(at: service.appendingPathComponent("Routes"), includingPropertiesForKeys: nil)
        let pattern = try Regex(#"routes\.(get|post|put|patch|delete)\("([^"]+)"\)"#)
        for file in routes {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) {
                let method = String(match.output[1].substring!).uppercased()
                declared.insert("\(method) /\(match.output[2].substring!)")
            }
        }
        #expect(documented == declared)

        // Each documented route exists in the running application (the router's own 404 has no body).
        let harness = try await Harness.make("openapi")
        try await withTimesheet(harness) { [documented] client in
            let operatorHeaders = try await TestTokens.headers(.operator)
            for route in documented {
                let parts = route.split(separator: " ")
                let uri = String(parts[1]).replacingOccurrences(of: "{month}", with: "2022-06").replacing(try Regex(#"\{[^}]+\}"#), with: "x")
                try await client.execute(uri: uri, method: parts[0] == "GET" ? .get : .post, headers: operatorHeaders) { response in
                    #expect(response.status != .notFound || response.body.readableBytes > 0, "\(route) is not routed")
                    #expect(response.status != .methodNotAllowed, "\(route)")
                }
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(String(buffer: response.body) == yaml)
            }
            // The operators' lag: the service's own group on each topic it reads, asked through the route's kept reader.
            struct Lags: Decodable {
                struct Lag: Decodable {
                    var group: String
                    var topic: String
                    var lag: Int64
                }
                var consumers: [Lag]
            }
            try await client.execute(uri: "/admin/consumers", method: .get, headers: operatorHeaders) { response in
                #expect(response.status == .ok)
                let lags = try JSONDecoder().decode(Lags.self, from: Data(String(buffer: response.body).utf8))
                #expect(lags.consumers.contains { $0.topic.hasSuffix(Topic.timesheetSubmissions.name) }, "\(lags.consumers.map(\.topic))")
                #expect(lags.consumers.allSatisfy { $0.group.hasPrefix(harness.namespace) && $0.lag >= 0 }, "\(lags.consumers)")
            }
            let asyncapi = try String(contentsOf: service.appendingPathComponent("asyncapi.yaml"), encoding: .utf8)
            try await client.execute(uri: "/asyncapi.yaml", method: .get) { response in
                #expect(String(buffer: response.body) == asyncapi)
            }

            // A known path asked with a method it does not serve: 405 naming what it serves; an unknown path: 404.
            for (method, uri, allow) in [
                (HTTPRequest.Method.trace, "/health/live", "GET"), (.delete, "/submissions", "POST"),
                (.put, "/providers/ngo-a/entries/E-1", "GET"), (.get, "/admin/outbox/parked/replay", "POST"),
            ] {
                try await client.execute(uri: uri, method: method, headers: operatorHeaders) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                    #expect(String(buffer: response.body).contains("method-not-allowed"), "\(method) \(uri)")
                }
            }
            try await client.execute(uri: "/no/such/path", method: .get, headers: operatorHeaders) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
