import Domain
import FoundationEssentials
import Postgres

extension OrderingStore {
    func providers() async throws -> [ProviderRecord] {
        try await pool.withConnection { connection in
            var records: [ProviderRecord] = []
            let rows = try await connection.query(
                """
                SELECT p.id, p.name, pe.edition_id, pe.hourly_rate_grosze
                FROM providers p LEFT JOIN provider_editions pe ON pe.provider_id = p.id
                ORDER BY p.id, pe.edition_id
                """)
            for row in rows {
                let id = ProviderID(try row.decode(String.self, at: 0))
                if records.last?.providerID != id {
                    records.append(ProviderRecord(providerID: id, name: try row.decode(String.self, at: 1), editions: []))
                }
                if let edition = try row.decode(String?.self, at: 2) {
                    let rate = Money(grosze: Int64(try row.decode(Int.self, at: 3)))
                    records[records.count - 1].editions.append(.init(editionID: EditionID(edition), hourlyRate: rate))
                }
            }
            return records
        }
    }

    func assistants(of providerID: ProviderID) async throws -> [AssistantRecord]? {
        try await pool.withConnection { connection in
            let known = try await connection.query("SELECT 1 FROM providers WHERE id = \(providerID.rawValue)")
            guard known.first != nil else { return nil }
            let profiles = try await Self.assistantProfiles(
                on: connection, providerIDs: [providerID.rawValue], participantID: nil)
            return profiles.map(AssistantRecord.init)
        }
    }

    func registerAssistant(_ new: NewAssistant, providerID: ProviderID) async throws -> AssistantRecord {
        let id = AssistantID.random()
        let record = new.record(id, of: providerID)
        try await pool.withTransaction { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO assistants (id, provider_id, skills, availability)
                SELECT \(id.rawValue), p.id, \(record.skills.map(\.rawValue))::text[], \(try StoredJSON.encode(new.availability))::jsonb
                FROM providers p WHERE p.id = \(providerID.rawValue)
                RETURNING id
                """)
            guard inserted.first != nil else { throw OrderingFailure.notFound("the provider") }
            try await Self.addExclusions(of: record, on: connection)
            try await outbox.append(AssistantRegistered(assistantID: id, providerID: providerID, skills: record.skills), on: connection)
        }
        return record
    }

    /// Replaces the assistant's profile. A change of skills is announced again with
    /// `AssistantRegistered` (its consumers keep the newest); availability and
    /// exclusions stay in ordering.
    func changeAssistant(_ id: AssistantID, of providerID: ProviderID, to profile: NewAssistant) async throws -> AssistantRecord {
        let record = profile.record(id, of: providerID)
        try await pool.withTransaction { connection in
            let previous = try await connection.query(
                """
                SELECT array_to_string(skills, ',') FROM assistants WHERE id = \(id.rawValue) AND provider_id = \(providerID.rawValue) FOR UPDATE
                """)
            guard let row = previous.first else { throw OrderingFailure.notFound("the assistant") }
            let before = try Skill.list(stored: row.decode(String.self, at: 0))
            try await connection.execute(
                """
                UPDATE assistants SET skills = \(record.skills.map(\.rawValue))::text[], availability = \(try StoredJSON.encode(profile.availability))::jsonb
                WHERE id = \(id.rawValue)
                """)
            try await connection.execute("DELETE FROM assistant_exclusions WHERE assistant_id = \(id.rawValue)")
            try await Self.addExclusions(of: record, on: connection)
            if before != record.skills {
                try await outbox.append(AssistantRegistered(assistantID: id, providerID: providerID, skills: record.skills), on: connection)
            }
        }
        return record
    }

    private static func addExclusions(of assistant: AssistantRecord, on connection: PostgresConnection) async throws {
        let excluded = assistant.excludedParticipants.map(\.rawValue)
        let related = Set(assistant.relatives.map(\.rawValue))
        guard !excluded.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO assistant_exclusions (assistant_id, participant_id, relation)
            SELECT \(assistant.assistantID.rawValue), p, r FROM unnest(\(excluded)::text[], \(excluded.map { related.contains($0) ? "related" : "excluded" })::text[]) AS t(p, r)
            """)
    }

    /// Records a qualification in the register (replacing the kind's earlier record) and
    /// announces it; nil when the NGO has no such assistant.
    func recordQualification(_ qualification: AssistantQualificationRecorded) async throws -> AssistantRecord? {
        try await pool.withTransaction { connection in
            let known = try await connection.query(
                """
                SELECT 1 FROM assistants WHERE id = \(qualification.assistantID.rawValue) AND provider_id = \(qualification.providerID.rawValue) FOR UPDATE
                """)
            guard known.first != nil else { return nil }
            try await connection.execute(
                """
                INSERT INTO assistant_qualifications (assistant_id, kind, obtained_on, valid_until)
                VALUES (\(qualification.assistantID.rawValue), \(qualification.kind.rawValue), \(qualification.obtainedOn.description)::date,
                        \(qualification.validUntil?.description)::date)
                ON CONFLICT (assistant_id, kind) DO UPDATE
                SET obtained_on = EXCLUDED.obtained_on, valid_until = EXCLUDED.valid_until, recorded_at = now()
                """)
            try await outbox.append(qualification, on: connection)
            return try await Self.assistantProfiles(on: connection, providerIDs: [qualification.providerID.rawValue], participantID: nil)
                .first { $0.id == qualification.assistantID }
                .map(AssistantRecord.init)
        }
    }

    /// Assistants of the given providers with their exclusions (only whether
    /// `participantID` is excluded, when one is given, to keep the read small) and their
    /// register of qualifications.
    static func assistantProfiles(
        on connection: PostgresConnection, providerIDs: [String], participantID: ParticipantID?
    ) async throws -> [AssistantProfile] {
        guard !providerIDs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT a.id, a.provider_id, array_to_string(a.skills, ','), a.availability::text, COALESCE(x.excluded, ''), COALESCE(x.related, ''),
                   (SELECT jsonb_agg(jsonb_build_object('kind', q.kind, 'obtainedOn', q.obtained_on, 'validUntil', q.valid_until) ORDER BY q.kind)::text
                    FROM assistant_qualifications q WHERE q.assistant_id = a.id)
            FROM assistants a
            LEFT JOIN LATERAL (
                SELECT string_agg(e.participant_id, ',' ORDER BY e.participant_id) AS excluded,
                       string_agg(e.participant_id, ',' ORDER BY e.participant_id) FILTER (WHERE e.relation = 'related') AS related
                FROM assistant_exclusions e
                WHERE e.assistant_id = a.id AND (\(participantID?.rawValue ?? "")  = '' OR e.participant_id = \(participantID?.rawValue ?? ""))
            ) x ON true
            WHERE a.provider_id = ANY(\(providerIDs)::text[])
            ORDER BY a.id
            """)
        return try rows.map { row in
            let id = AssistantID(try row.decode(String.self, at: 0))
            let providerID = ProviderID(try row.decode(String.self, at: 1))
            let register = try row.decode(String?.self, at: 6).map { try StoredJSON.decode([StoredQualification].self, $0) } ?? []
            func participants(_ column: Int) throws -> Set<ParticipantID> {
                Set(try row.decode(String.self, at: column).split(separator: ",").map { ParticipantID(String($0)) })
            }
            return AssistantProfile(
                id: id, providerID: providerID,
                skills: Set(try Skill.list(stored: row.decode(String.self, at: 2))),
                availability: try StoredJSON.decode([WeeklySlot].self, row.decode(String.self, at: 3)),
                excludedParticipants: try participants(4), relatives: try participants(5),
                qualifications: Dictionary(
                    uniqueKeysWithValues: register.map {
                        (
                            $0.kind,
                            AssistantQualificationRecorded(
                                assistantID: id, providerID: providerID, kind: $0.kind, obtainedOn: $0.obtainedOn, validUntil: $0.validUntil)
                        )
                    })
            )
        }
    }

    /// A row of the register as `assistantProfiles` reads it.
    private struct StoredQualification: Decodable {
        var kind: QualificationKind
        var obtainedOn: CalendarDate
        var validUntil: CalendarDate?
    }
}

extension AssistantRecord {
    init(_ profile: AssistantProfile) {
        self.init(
            assistantID: profile.id, providerID: profile.providerID,
            skills: profile.skills.sorted { $0.rawValue < $1.rawValue },
            availability: profile.availability,
            excludedParticipants: profile.excludedParticipants.sorted { $0.rawValue < $1.rawValue },
            relatives: profile.relatives.sorted { $0.rawValue < $1.rawValue },
            qualifications: profile.qualifications.values.sorted { $0.kind < $1.kind }.map {
                QualificationRecord(kind: $0.kind, obtainedOn: $0.obtainedOn, validUntil: $0.validUntil)
            })
    }
}
