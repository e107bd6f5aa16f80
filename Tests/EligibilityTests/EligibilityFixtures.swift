import Domain
import Foundation
import ServiceRuntime
import TestSupport

@testable import Eligibility

/// Settings and editions for eligibility tests: a directory with one edition
/// covering the current year, so decisions made "today" fall inside it.
enum EligibilityFixtures {
    static var today: CalendarDate { CalendarDate(Date()) }

    static func edition(id: String) -> EditionRules {
        let year = today.year
        return EditionRules(
            id: EditionID(id), name: "test edition \(id)",
            period: DateRange(start: CalendarDate(year: year, month: 1, day: 1)!, end: CalendarDate(year: year, month: 12, day: 31)!),
            childAgeBand: AgeBand(minimumAge: 0, maximumAge: 16),
            acceptedCertificates: [.childDisability, .degree, .equivalent], acceptedDegrees: [.significant, .moderate],
            annualHourCaps: HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 360),
            monthlyHourLimit: nil, hourlyRateCap: Money(zloty: 50), assistantDailyLimitHours: 12,
            budget: Budget(ministryGrant: Money(zloty: 2_167_704), municipalContribution: Money(zloty: 325_156)),
            targets: Targets(participants: 68, hours: 43_000),
            expenseCaps: ExpenseCaps(
                travelPerMonth: Money(zloty: 200), ticketsPerMonth: Money(zloty: 100), protectiveEquipmentPerMonth: Money(zloty: 50),
                insurancePerYear: Money(zloty: 150)),
            providers: []
        )
    }

    /// A fresh directory holding the given editions as files.
    static func editionsDirectory(_ editions: [EditionRules]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "editions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for edition in editions {
            try JSONEncoder().encode(edition).write(to: directory.appending(path: "\(edition.id.rawValue).json"))
        }
        return directory
    }

    static func settings(_ namespace: String, editions: [EditionRules]? = nil, extra: [String: String] = [:]) async throws -> Settings {
        let directory = try editionsDirectory(editions ?? [edition(id: "test")])
        return try await TestSettings.make(
            service: "eligibility", namespace: namespace, extra: ["editions.directory": directory.path].merging(extra) { $1 })
    }
}
