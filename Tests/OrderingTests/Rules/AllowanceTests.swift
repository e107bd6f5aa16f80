import Domain
import Testing

@testable import Ordering

@Suite("Allowance arithmetic (its sums are PostgreSQL's: CancellingAndRatingTests)")
struct AllowanceTests {
    @Test(arguments: [(420, 419, true), (420, 420, true), (420, 421, false), (0, 1, false)])
    func admits(remaining: Int, minutes: Int, admitted: Bool) {
        let allowance = Allowance(grantedMinutes: 600, reservedMinutes: 600 - remaining, deliveredMinutes: 0)
        #expect(allowance.admits(minutes: minutes) == admitted)
    }
}

@Suite("Which grant covers an order")
struct GrantWindowTests {
    static let grant2024 = GrantWindow(
        grantID: GrantID("g-2024"), editionID: EditionID("2024"), period: DateRange(start: day("2024-03-01"), end: day("2024-12-31")))
    static let revoked = GrantWindow(
        grantID: GrantID("g-r"), editionID: EditionID("2024"), period: DateRange(start: day("2024-03-01"), end: day("2024-12-31")),
        revokedOn: day("2024-06-30"))
    static let grant2025 = GrantWindow(
        grantID: GrantID("g-2025"), editionID: EditionID("2025"), period: DateRange(start: day("2025-01-01"), end: day("2025-12-31")))

    @Test(
        arguments: [
            ("first day", [grant2024], service("2024-03-01 08:00", "2024-03-01 10:00"), Result<GrantID, Refusal>.success(GrantID("g-2024"))),
            ("last day", [grant2024], service("2024-12-31 20:00", "2024-12-31 24:00"), .success(GrantID("g-2024"))),
            ("the day before", [grant2024], service("2024-02-29 08:00", "2024-02-29 10:00"), .failure(.outsideGrantPeriod)),
            ("running past the period's last midnight", [grant2024], service("2024-12-31 22:00", "2025-01-01 01:00"), .failure(.outsideGrantPeriod)),
            ("on the revocation day", [revoked], service("2024-06-30 08:00", "2024-06-30 10:00"), .success(GrantID("g-r"))),
            ("after the revocation day", [revoked], service("2024-07-01 08:00", "2024-07-01 10:00"), .failure(.outsideGrantPeriod)),
            ("no grant at all", [], service("2024-05-01 08:00", "2024-05-01 10:00"), .failure(.noGrant)),
            ("the next edition's grant", [grant2024, grant2025], service("2025-02-01 08:00", "2025-02-01 10:00"), .success(GrantID("g-2025"))),
        ] as [(String, [GrantWindow], ServiceTime, Result<GrantID, Refusal>)])
    func choose(_ name: String, grants: [GrantWindow], time: ServiceTime, expected: Result<GrantID, Refusal>) {
        #expect(GrantWindow.choose(for: time, among: grants).map(\.grantID) == expected, "\(name)")
    }
}
