import Domain
import Foundation
import Postgres
import ServiceRuntime
import TestSupport
import Testing

@testable import Eligibility

/// Confirming many decisions at once: one transaction, set-based, all or nothing.
@Suite struct BulkConfirmationTests {
    /// Inserts `count` open automatic decisions (every third a rejection) straight into the tables.
    static func seed(_ count: Int, edition: String, on pool: PostgresPool) async throws -> [DecisionID] {
        let today = EligibilityFixtures.today
        return try await pool.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO applications (application_id, participant_id, edition_id, facts)
                SELECT 'app-' || n, 'participant-' || n, \(edition), '{}'::jsonb FROM generate_series(1, \(count)) AS n
                """)
            let rows = try await connection.query(
                """
                INSERT INTO decisions (id, application_id, participant_id, edition_id, outcome, reasons, group_category,
                                       multiple_disabilities, hours, period_start, period_end, decided_on)
                SELECT 'decision-' || n, 'app-' || n, 'participant-' || n, \(edition),
                       CASE WHEN n % 3 = 0 THEN 'rejected' ELSE 'granted' END,
                       CASE WHEN n % 3 = 0 THEN '{not-resident}'::text[] ELSE '{}'::text[] END,
                       CASE WHEN n % 3 = 0 THEN NULL ELSE 'adult-significant' END, false,
                       CASE WHEN n % 3 = 0 THEN NULL ELSE 120 END,
                       CASE WHEN n % 3 = 0 THEN NULL ELSE \(today.sql) END,
                       CASE WHEN n % 3 = 0 THEN NULL ELSE \(SQLDate(CalendarDate(year: today.year, month: 12, day: 31)!)) END,
                       \(today.sql)
                FROM generate_series(1, \(count)) AS n
                RETURNING id
                """)
            return try rows.map { DecisionID(try $0.decode(String.self, at: 0)) }
        }
    }

    @Test func confirmingAThousandDecisionsIsOneTransaction() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("bulk")))
        let ids = try await Self.seed(1000, edition: "test", on: parts.host.pool)
        let outboxBefore = try await Self.count("SELECT count(*) FROM outbox", parts.host.pool)

        let started = ContinuousClock.now
        let records = try await parts.store.confirm(ids, by: "operator.bulk", justification: "monthly review", on: EligibilityFixtures.today)
        let elapsed = ContinuousClock.now - started
        print("bulk confirmation of \(ids.count) decisions took \(elapsed)")  // the figure for the report; not asserted

        #expect(records.count == 1000)
        let granted = records.filter { $0.outcome == .granted }.count
        #expect(granted == 667)
        #expect(try await Self.count("SELECT count(*) FROM grants", parts.host.pool) == granted)
        #expect(try await Self.count("SELECT count(*) FROM decision_audit WHERE operator = 'operator.bulk'", parts.host.pool) == 1000)
        // One EligibilityDecided per decision and one SupportGranted per grant. No relay runs
        // (the parts never start as an application), so the outbox still holds all that was written.
        #expect(try await Self.count("SELECT count(*) FROM outbox", parts.host.pool) - outboxBefore == 1000 + granted)
        #expect(try await Self.count("SELECT count(*) FROM decisions WHERE review = 'confirmed' AND state = 'settled'", parts.host.pool) == 1000)
    }

    @Test func oneDecisionNotAwaitingReviewConfirmsNothing() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("bulk-none")))
        let ids = try await Self.seed(10, edition: "test", on: parts.host.pool)
        _ = try await parts.store.confirm([ids[0]], by: "operator.a", justification: "first", on: EligibilityFixtures.today)
        await #expect(throws: ReviewError.notAwaitingReview([ids[0], DecisionID("unknown")])) {
            try await parts.store.confirm(ids + [DecisionID("unknown")], by: "operator.b", justification: "all", on: EligibilityFixtures.today)
        }
        #expect(try await Self.count("SELECT count(*) FROM decisions WHERE review = 'confirmed'", parts.host.pool) == 1)
        #expect(try await Self.count("SELECT count(*) FROM decision_audit", parts.host.pool) == 1)
    }

    @Test func editionsAreUpsertedAndAnnouncedOnlyWhenNewOrChanged() async throws {
        let parts = try await EligibilityService(settings: try await EligibilityFixtures.settings(TestSettings.uniqueNamespace("editions")))
        let store = EditionStore(pool: parts.host.pool, outbox: parts.host.outbox)
        var edition = EligibilityFixtures.edition(id: "test")
        #expect(try await store.publish([edition]) == [])  // loaded at startup already
        edition.annualHourCaps?.moderate = 400
        #expect(try await store.publish([edition, EligibilityFixtures.edition(id: "other")]) == [EditionID("test"), EditionID("other")])
        // Once at startup, then for the changed and the new edition; no relay runs here, so the outbox holds all three.
        #expect(try await Self.count("SELECT count(*) FROM outbox WHERE event_type = 'asysta.eligibility.EditionPublished.v1'", parts.host.pool) == 3)
        // A statutory scheme has no annual caps, which version 1 requires: it goes out as version 2.
        let statute = try JSONDecoder().decode(
            EditionRules.self,
            from: Data(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../deploy/editions/ustawa-2027.json")))
        #expect(try await store.publish([statute]) == [statute.id])
        #expect(try await Self.count("SELECT count(*) FROM outbox WHERE event_type = 'asysta.eligibility.EditionPublished.v2'", parts.host.pool) == 1)
    }

    @Test func theCommittedEditionFilesLoad() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../deploy/editions")
        let editions = try EditionStore.load(directory: directory)
        #expect(editions.map(\.id.rawValue) == ["2022", "2023", "2024", "2025", "2026", "ustawa-2027"])
        #expect(editions.filter { $0.statute != nil }.map(\.id.rawValue) == ["ustawa-2027"])
        #expect(editions.first { $0.id.rawValue == "2025" }?.childAgeBand == AgeBand(minimumAge: 2, maximumAge: 16))
        #expect(editions.first { $0.id.rawValue == "2022" }?.budget.total == Money(zloty: 2_492_860))
    }

    static func count(_ sql: PostgresQuery, _ pool: PostgresPool) async throws -> Int {
        try await pool.withConnection { try await $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}
