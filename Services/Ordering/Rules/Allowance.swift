import Domain

/// A participant's hours under one grant, in minutes (exact; hours × 60).
///
/// - granted: the grant's hours × 60.
/// - reserved: the minutes of every open order (placed or assigned, not
///   cancelled) for which no accepted timesheet entry counts yet. An order's
///   reservation is released as a whole by its first accounted entry: from then
///   on its hours are what timesheet accounted, whatever the order said. If every
///   entry of an order is voided, the order reserves again.
/// - delivered: the minutes of every accepted entry of the participant in the
///   grant's edition (a correction replaces an entry's minutes, a void removes them).
/// - remaining: granted − reserved − delivered (negative only if timesheet
///   accounted more than ordering reserved, which its own allowance check prevents).
///
/// Reserved and delivered are summed by PostgreSQL (`OrderingStore.reservedAndDelivered`),
/// in the statement that reads them: one round trip, one snapshot.
struct Allowance: Hashable, Sendable {
    let grantedMinutes: Int
    let reservedMinutes: Int
    let deliveredMinutes: Int

    init(grantedMinutes: Int, reservedMinutes: Int, deliveredMinutes: Int) {
        self.grantedMinutes = grantedMinutes
        self.reservedMinutes = reservedMinutes
        self.deliveredMinutes = deliveredMinutes
    }

    var remainingMinutes: Int { grantedMinutes - reservedMinutes - deliveredMinutes }

    /// An order fits when its minutes do not exceed what remains.
    func admits(minutes: Int) -> Bool { minutes <= remainingMinutes }
}

/// The part of a grant that decides whether an order may be placed under it.
struct GrantWindow: Hashable, Sendable {
    var grantID: GrantID
    var editionID: EditionID
    var period: DateRange
    /// Services after this day are no longer covered.
    var revokedOn: CalendarDate?

    /// The last day covered: the period's end, or the revocation day if earlier.
    var lastCoveredDay: CalendarDate {
        guard let revokedOn else { return period.end }
        return min(revokedOn, period.end)
    }

    func covers(_ time: ServiceTime) -> Bool {
        period.start <= time.firstDay && time.lastDay <= lastCoveredDay
    }

    /// The grant an order falls under: the one covering its days (the latest
    /// starting if several do); `no-grant` when the participant has none at all.
    static func choose(for time: ServiceTime, among grants: [GrantWindow]) -> Result<GrantWindow, Refusal> {
        guard !grants.isEmpty else { return .failure(.noGrant) }
        guard let grant = grants.filter({ $0.covers(time) }).max(by: { $0.period.start < $1.period.start }) else {
            return .failure(.outsideGrantPeriod)
        }
        return .success(grant)
    }
}
