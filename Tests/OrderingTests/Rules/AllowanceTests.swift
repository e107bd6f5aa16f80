import Domain
import Testing

@testable import Ordering

@Suite("Allowance arithmetic")
struct AllowanceTests {
    typealias Load = Allowance.OrderLoad

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var hours: Int
        var orders: [Load]
        var delivered: Int
        var reserved: Int
        var remaining: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a fresh grant", hours: 10, orders: [], delivered: 0, reserved: 0, remaining: 600),
        Case(
            name: "an open order reserves its minutes", hours: 10, orders: [Load(minutes: 180, isOpen: true, deliveredMinutes: 0)], delivered: 0,
            reserved: 180, remaining: 420),
        Case(
            name: "a cancelled order reserves nothing", hours: 10, orders: [Load(minutes: 180, isOpen: false, deliveredMinutes: 0)], delivered: 0,
            reserved: 0, remaining: 600),
        Case(
            name: "delivery releases the reservation and counts what was accounted", hours: 10,
            orders: [Load(minutes: 180, isOpen: true, deliveredMinutes: 180)], delivered: 180, reserved: 0, remaining: 420),
        Case(
            name: "a shorter delivery gives the rest back", hours: 10, orders: [Load(minutes: 180, isOpen: true, deliveredMinutes: 120)],
            delivered: 120, reserved: 0, remaining: 480),
        Case(
            name: "a longer delivery takes more", hours: 10, orders: [Load(minutes: 180, isOpen: true, deliveredMinutes: 200)], delivered: 200,
            reserved: 0, remaining: 400),
        Case(
            name: "open, delivered and cancelled together", hours: 20,
            orders: [
                Load(minutes: 60, isOpen: true, deliveredMinutes: 0), Load(minutes: 90, isOpen: true, deliveredMinutes: 90),
                Load(minutes: 240, isOpen: false, deliveredMinutes: 0), Load(minutes: 30, isOpen: true, deliveredMinutes: 0),
            ], delivered: 90, reserved: 90, remaining: 1020),
        Case(
            name: "delivered minutes of entries without an open order still count", hours: 10, orders: [], delivered: 45, reserved: 0, remaining: 555),
    ]

    @Test(arguments: cases)
    func arithmetic(_ c: Case) {
        let allowance = Allowance(grantedHours: c.hours, orders: c.orders, deliveredMinutes: c.delivered)
        #expect(allowance.grantedMinutes == c.hours * 60)
        #expect(allowance.reservedMinutes == c.reserved)
        #expect(allowance.deliveredMinutes == c.delivered)
        #expect(allowance.remainingMinutes == c.remaining)
    }

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
