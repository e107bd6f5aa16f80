import Domain
import Foundation
import TestSupport

/// The five services as five processes on one PostgreSQL and one broker, each
/// with its own database, sharing a topic namespace. Eligibility publishes the
/// editions operators keep in `deploy/editions`; intake and eligibility decide
/// on a day of the 2022 edition (`clock.today`), as `scripts/run` does.
struct FiveServices {
    let namespace: String
    let intake: ServiceProcess
    let eligibility: ServiceProcess
    let ordering: ServiceProcess
    let timesheet: ServiceProcess
    let reporting: ServiceProcess
    var all: [ServiceProcess] { [intake, eligibility, ordering, timesheet, reporting] }

    static let edition = "2022"
    static let today = CalendarDate("2022-05-04")!
    /// The NGO that works in these tests, one of the edition's eight.
    static let provider = "fundacja-promyk-slonca"

    private static let editions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../deploy/editions").standardizedFileURL

    /// Runs `body` with the five services started on the programme day `today`; they are
    /// stopped (SIGTERM) afterwards, killed if it throws.
    static func run(label: String, today: CalendarDate = today, _ body: (FiveServices) async throws -> Void) async throws {
        let namespace = TestSettings.uniqueNamespace(label)
        func service(_ name: String, _ settings: [String: String] = [:]) async throws -> ServiceProcess {
            try await ServiceProcess(name: name, namespace: namespace, settings: settings.merging(["clock.today": today.description]) { $1 })
        }
        func key() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }
        let services = FiveServices(
            namespace: namespace,
            intake: try await service("intake", ["intake.encryption_key": key(), "intake.hash_key": key()]),
            eligibility: try await service("eligibility", ["editions.directory": editions.path]),
            ordering: try await service("ordering"),
            timesheet: try await service("timesheet"),
            reporting: try await service("reporting")
        )
        try await withStarted(services.all) { try await body(services) }
    }
}
