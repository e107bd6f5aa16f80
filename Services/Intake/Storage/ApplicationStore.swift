import Domain
import FoundationEssentials
import Messaging
import Postgres
import ServiceRuntime

struct ApplicationStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    let cipher: PersonalDataCipher

    func submit(_ application: ValidApplication, on day: CalendarDate) async throws -> SubmitOutcome {
        let id = ApplicationID.random()
        let participant = ParticipantID.random()
        let personKey = cipher.personKey(pesel: application.pesel.digits, edition: application.edition.rawValue)
        let personal = try cipher.seal(json: application.personal)
        let sealedDocuments = try application.documents.map(seal)
        return try await pool.withTransaction { connection in
            // Insert first: the unique index on (edition, pesel_hash) decides who was first.
            let inserted = try await connection.query(
                """
                INSERT INTO applications (id, edition_id, participant_id, pesel_hash, personal_data, age, certificate, declared_needs,
                                          legally_incapacitated, resides_in_programme_area, submitted_on)
                VALUES (\(id.rawValue), \(application.edition.rawValue), \(participant.rawValue), \(personKey), \(personal),
                        \(try StoredJSON.encode(application.age))::jsonb, \(try StoredJSON.encode(application.certificate))::jsonb,
                        \(try StoredJSON.encode(application.declaredNeeds))::jsonb, \(application.legallyIncapacitated),
                        \(application.residesInProgrammeArea), \(day.sql))
                ON CONFLICT (edition_id, pesel_hash) DO NOTHING
                RETURNING id
                """)
            guard inserted.count == 1 else {
                let existing = try await connection.query(
                    """
                    SELECT id FROM applications WHERE edition_id = \(application.edition.rawValue) AND pesel_hash = \(personKey)
                    """)
                return .duplicate(ApplicationID(try existing[0].decode(String.self, at: 0)))
            }
            let documents = try await insert(sealedDocuments, into: id, on: connection)
            try await outbox.append(
                ApplicationSubmitted(
                    applicationID: id, participantID: participant, editionID: application.edition, submittedOn: day,
                    age: application.age, certificate: application.certificate,
                    residesInProgrammeArea: application.residesInProgrammeArea,
                    legallyIncapacitated: application.legallyIncapacitated,
                    documents: Array(Set(documents.map(\.kind))).sorted(), declaredNeeds: application.declaredNeeds,
                    supportNeeds: application.supportNeeds
                ), on: connection)
            return .created(
                ApplicationStatus(
                    id: id, participantID: participant, edition: application.edition, status: "submitted",
                    submittedOn: day, withdrawnOn: nil, documents: documents))
        }
    }

    func status(of id: ApplicationID) async throws -> ApplicationStatus? {
        try await pool.withConnection { connection in try await Self.status(of: id, on: connection) }
    }

    func addDocument(_ document: ValidDocument, to id: ApplicationID, on day: CalendarDate) async throws -> DocumentOutcome {
        let sealed = try seal(document)
        return try await pool.withTransaction { connection in
            // Locks the application, so concurrent uploads publish complete, ordered document lists.
            let rows = try await connection.query(
                """
                SELECT participant_id, edition_id, status FROM applications WHERE id = \(id.rawValue) FOR UPDATE
                """)
            guard let row = rows.first else { return .notFound }
            guard try row.decode(String.self, at: 2) == "submitted" else { return .withdrawn }
            let added = try await insert([sealed], into: id, on: connection)[0]
            var documents: [DocumentKind] = []
            // A loop, not a throwing `map`: Swift 6.3's optimizer crashes (signal 11, coroutine splitting) on the latter here.
            for kind in try await connection.query("SELECT DISTINCT kind FROM documents WHERE application_id = \(id.rawValue) ORDER BY kind") {
                documents.append(try kind.decode(DocumentKind.self, at: 0))
            }
            try await outbox.append(
                DocumentsAdded(
                    applicationID: id, participantID: ParticipantID(try row.decode(String.self, at: 0)),
                    editionID: EditionID(try row.decode(String.self, at: 1)), addedOn: day, documents: documents
                ), on: connection)
            return .added(added)
        }
    }

    func withdraw(_ id: ApplicationID, on day: CalendarDate) async throws -> ApplicationStatus? {
        try await pool.withTransaction { connection in
            let changed = try await connection.query(
                """
                UPDATE applications SET status = 'withdrawn', withdrawn_on = \(day.sql)
                WHERE id = \(id.rawValue) AND status = 'submitted'
                RETURNING participant_id, edition_id
                """)
            if let row = changed.first {
                try await outbox.append(
                    ApplicationWithdrawn(
                        applicationID: id, participantID: ParticipantID(try row.decode(String.self, at: 0)),
                        editionID: EditionID(try row.decode(String.self, at: 1)), withdrawnOn: day
                    ), on: connection)
            }
            return try await Self.status(of: id, on: connection)
        }
    }

    // MARK: - Documents

    private struct SealedDocument {
        var id: String
        var kind: DocumentKind
        var fileName: Data?
        var content: Data?
        var size: Int?
        var sha256: String?
        var reference: Data?
    }

    private func seal(_ document: ValidDocument) throws -> SealedDocument {
        let id = randomUUIDString()
        switch document.content {
        case let .file(name, bytes):
            return SealedDocument(
                id: id, kind: document.kind, fileName: try cipher.seal(Data(name.utf8)), content: try cipher.seal(bytes),
                size: bytes.count, sha256: PersonalDataCipher.sha256Hex(bytes), reference: nil)
        case let .reference(reference):
            return SealedDocument(
                id: id, kind: document.kind, fileName: nil, content: nil, size: nil, sha256: nil, reference: try cipher.seal(Data(reference.utf8)))
        }
    }

    private func insert(
        _ documents: [SealedDocument], into application: ApplicationID, on connection: PostgresConnection
    ) async throws -> [DocumentSummary] {
        guard !documents.isEmpty else { return [] }
        try await connection.execute(
            """
            INSERT INTO documents (id, application_id, kind, file_name, content, size_bytes, sha256, reference)
            SELECT d.id, \(application.rawValue), d.kind, d.file_name, d.content, d.size_bytes, d.sha256, d.reference
            FROM unnest(\(documents.map(\.id))::text[], \(documents.map(\.kind.rawValue))::text[], \(documents.map(\.fileName))::bytea[],
                        \(documents.map(\.content))::bytea[], \(documents.map(\.size))::int[], \(documents.map(\.sha256))::text[],
                        \(documents.map(\.reference))::bytea[])
                 AS d(id, kind, file_name, content, size_bytes, sha256, reference)
            """)
        return documents.map { DocumentSummary(id: $0.id, kind: $0.kind, sizeBytes: $0.size, sha256: $0.sha256, isReference: $0.reference != nil) }
    }

    // MARK: - Reading

    private static func status(of id: ApplicationID, on connection: PostgresConnection) async throws -> ApplicationStatus? {
        let rows = try await connection.query(
            """
            SELECT participant_id, edition_id, status, submitted_on::text, withdrawn_on::text FROM applications WHERE id = \(id.rawValue)
            """)
        guard let row = rows.first else { return nil }
        let documents = try await connection.query(
            """
            SELECT id, kind, size_bytes, sha256, reference IS NOT NULL FROM documents WHERE application_id = \(id.rawValue) ORDER BY added_at, id
            """)
        return ApplicationStatus(
            id: id,
            participantID: ParticipantID(try row.decode(String.self, at: 0)),
            edition: EditionID(try row.decode(String.self, at: 1)),
            status: try row.decode(String.self, at: 2),
            submittedOn: try row.decode(CalendarDate.self, at: 3),
            withdrawnOn: try row.decode(CalendarDate?.self, at: 4),
            documents: try documents.map { document in
                DocumentSummary(
                    id: try document.decode(String.self, at: 0),
                    kind: try document.decode(DocumentKind.self, at: 1),
                    sizeBytes: try document.decode(Int?.self, at: 2),
                    sha256: try document.decode(String?.self, at: 3),
                    isReference: try document.decode(Bool.self, at: 4)
                )
            }
        )
    }
}
