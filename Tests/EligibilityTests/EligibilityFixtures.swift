import Domain
import Foundation
import ServiceRuntime
import TestSupport

@testable import Eligibility

/// Settings and editions for eligibility tests: a directory with one edition
/// covering the current year, so decisions made "today" fall inside it.
enum EligibilityFixtures {
    static var today: CalendarDate { CalendarDate(Date()) }

    /// The 2023 rules, named `id`, over this year (so today's applications fall in it).
    static func edition(id: String) -> EditionRules {
        var rules = EligibilityRulesTests.edition2023
        rules.id = EditionID(id)
        rules.name = "test edition \(id)"
        rules.period = DateRange(
            start: CalendarDate(year: today.year, month: 1, day: 1)!, end: CalendarDate(year: today.year, month: 12, day: 31)!)
        rules.hourlyRateCap = Money(zloty: 50)
        return rules
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
