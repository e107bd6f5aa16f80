import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Intake

/// Intake over HTTP against a fresh database and the test broker.
@Suite struct IntakeHTTPTests {
    static func settings(_ namespace: String) async throws -> Settings {
        try await TestSettings.make(
            service: "intake", namespace: namespace,
            extra: [
                "intake.encryption_key": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
                "intake.hash_key": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
                "intake.document_max_bytes": "1024",
            ])
    }

    static let today = CalendarDate("2023-03-01")!

    static func withIntake(_ test: @escaping @Sendable (any TestClientProtocol, PostgresPool) async throws -> Void) async throws {
        let parts = try await IntakeService(settings: try await settings(TestSettings.uniqueNamespace("intake")), today: { today })
        let app = try parts.application()
        let pool = parts.host.pool
        try await app.test(.router) { client in try await test(client, pool) }
    }

    @Test func submitReadAddWithdraw() async throws {
        try await Self.withIntake { client, _ in
            let created = try await client.json(.post, "/applications", body: Fixtures.form(), as: .coordinator)
            #expect(created.status == .created)
            let id = try #require(created.body["id"] as? String)
            #expect(created.body["status"] as? String == "submitted")
            #expect((created.body["documents"] as? [Any])?.count == 2)

            let read = try await client.json(.get, "/applications/\(id)", as: .coordinator)
            #expect(read.status == .ok)
            #expect(read.body["participantID"] as? String == created.body["participantID"] as? String)
            #expect(!String(describing: read.body).contains(Fixtures.form().person.pesel))

            let content = Data("court ruling bytes".utf8)
            let added = try await client.json(
                .post, "/applications/\(id)/documents",
                body: DocumentForm(kind: .courtRuling, fileName: "ruling.pdf", contentBase64: content.base64EncodedString(), reference: nil),
                as: .coordinator)
            #expect(added.status == .created)
            #expect(added.body["sha256"] as? String == PersonalDataCipher.sha256Hex(content))
            #expect(added.body["sizeBytes"] as? Int == content.count)

            let withdrawn = try await client.json(.post, "/applications/\(id)/withdrawal", as: .coordinator)
            #expect(withdrawn.status == .ok)
            #expect(withdrawn.body["status"] as? String == "withdrawn")
            #expect(try await client.json(.post, "/applications/\(id)/withdrawal", as: .coordinator).status == .ok)
            let late = try await client.json(
                .post, "/applications/\(id)/documents", body: DocumentForm(kind: .applicationForm, reference: "x"), as: .coordinator)
            #expect(late.status == .conflict)
            #expect(late.body.errorCode == "application-withdrawn")
        }
    }

    @Test func theSamePersonTwiceInOneEditionIs409WithTheExistingID() async throws {
        try await Self.withIntake { client, _ in
            let first = try await client.json(.post, "/applications", body: Fixtures.form(), as: .coordinator)
            var again = Fixtures.form()
            again.person.firstName = "ANNA"  // the person is the PESEL, not the spelling
            let second = try await client.json(.post, "/applications", body: again, as: .coordinator)
            #expect(second.status == .conflict)
            #expect(second.body.errorCode == "duplicate-application")
            #expect((second.body["error"] as? [String: Any])?["details"] as? [String: String] == ["applicationID": first.body["id"] as! String])
            #expect(try await client.json(.post, "/applications", body: Fixtures.form(edition: "2024"), as: .coordinator).status == .created)
            #expect(try await client.json(.post, "/applications", body: Fixtures.form(serial: 4321), as: .coordinator).status == .created)
        }
    }

    @Test func everyValidationErrorNamesItsFieldOverHTTP() async throws {
        try await Self.withIntake { client, _ in
            for c in ApplicationValidationTests.cases {
                var form = Fixtures.form(serial: 7777)
                c.change(&form)
                let response = try await client.json(.post, "/applications", body: form, as: .coordinator)
                #expect(response.status == .unprocessableContent, "\(c.label)")
                #expect(response.body.errorFields == [c.field], "\(c.label)")
            }
        }
    }

    @Test func malformedBodiesNameTheProblem() async throws {
        try await Self.withIntake { client, _ in
            #expect(try await client.json(.post, "/applications", raw: "{not json", as: .coordinator).status == .badRequest)
            var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Fixtures.form())) as! [String: Any]
            var certificate = json["certificate"] as! [String: Any]
            certificate["kind"] = "passport"
            json["certificate"] = certificate
            let wrongKind = try await client.json(
                .post, "/applications", raw: String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self), as: .coordinator)
            #expect(wrongKind.status == .unprocessableContent)
            #expect(wrongKind.body.errorFields == ["certificate.kind"])
            json.removeValue(forKey: "person")
            let missing = try await client.json(
                .post, "/applications", raw: String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self), as: .coordinator)
            #expect(missing.body.errorFields == ["person"])
        }
    }

    @Test func documentsAreCheckedAndNeedAnApplication() async throws {
        try await Self.withIntake { client, _ in
            let id = try await client.json(.post, "/applications", body: Fixtures.form(), as: .coordinator).body["id"] as! String
            let tooLarge = DocumentForm(
                kind: .certificateCopy, fileName: "big.pdf", contentBase64: Data(count: 1025).base64EncodedString(), reference: nil)
            let refused = try await client.json(.post, "/applications/\(id)/documents", body: tooLarge, as: .coordinator)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.errorFields == ["contentBase64"])
            #expect(
                try await client.json(.post, "/applications/\(id)/documents", body: DocumentForm(kind: .courtRuling), as: .coordinator).body
                    .errorFields == [
                        "contentBase64"
                    ])
            #expect(
                try await client.json(.post, "/applications/nope/documents", body: DocumentForm(kind: .courtRuling, reference: "r"), as: .coordinator)
                    .status
                    == .notFound)
            #expect(try await client.json(.get, "/applications/nope", as: .coordinator).status == .notFound)
            #expect(try await client.json(.post, "/applications/nope/withdrawal", as: .coordinator).status == .notFound)
        }
    }

    @Test func aStoredDocumentOfAnUnknownKindIsAnErrorNotAGuess() async throws {
        try await Self.withIntake { client, pool in
            let id = try #require(try await client.json(.post, "/applications", body: Fixtures.form(), as: .coordinator).body["id"] as? String)
            try await pool.withConnection { connection in
                try await connection.execute("UPDATE documents SET kind = 'passport' WHERE application_id = \(id) AND kind = 'certificate-copy'")
            }
            let read = try await client.json(.get, "/applications/\(id)", as: .coordinator)
            #expect(read.status == .internalServerError)
            #expect(!String(describing: read.body).contains("application-form"))
            let added = try await client.json(
                .post, "/applications/\(id)/documents", body: DocumentForm(kind: .courtRuling, reference: "r"), as: .coordinator)
            #expect(added.status == .internalServerError)
        }
    }

    @Test func personalDataIsSealedInTheDatabase() async throws {
        try await Self.withIntake { client, pool in
            let form = Fixtures.form(serial: 5555)
            _ = try await client.json(.post, "/applications", body: form, as: .coordinator)
            // Every stored byte of both tables, searched for the secrets' UTF-8 bytes.
            let stored: [UInt8] = try await pool.withConnection { connection in
                var bytes: [UInt8] = []
                for row in try await connection.query(
                    "SELECT personal_data, convert_to(pesel_hash::text || certificate::text, 'UTF8') FROM applications")
                {
                    bytes += try row.decode([UInt8].self, at: 0) + row.decode([UInt8].self, at: 1)
                }
                for row in try await connection.query(
                    "SELECT coalesce(file_name, ''::bytea), coalesce(content, ''::bytea), coalesce(reference, ''::bytea) FROM documents")
                {
                    bytes += try row.decode([UInt8].self, at: 0) + row.decode([UInt8].self, at: 1) + row.decode([UInt8].self, at: 2)
                }
                return bytes
            }
            #expect(!stored.isEmpty)
            let dump = String(decoding: stored, as: UTF8.self)
            for secret in [form.person.pesel, form.person.firstName, form.person.lastName, "Świdnicka", "orzeczenie.pdf", "%PDF", "ePUAP"] {
                #expect(!dump.contains(secret), "\(secret) is stored in the clear")
            }
        }
    }
}

extension DocumentForm {
    init(kind: DocumentKind, reference: String? = nil) {
        self.init(kind: kind, fileName: nil, contentBase64: nil, reference: reference)
    }
}
