import FoundationEssentials

/// Poland's civil time, where the programme runs: its days, months and times of day
/// are Polish ones. CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of
/// March until 01:00 UTC on the last Sunday of October — the rule Poland has kept
/// since 1996, tzdata's `CET-1CEST,M3.5.0,M10.5.0/3` for Europe/Warsaw. Worked out
/// here instead of asked of a time-zone database: Foundation's comes with ICU, about
/// 9 MB of every service's memory, for one zone whose rule the programme's years share.
public enum PolishTime {
    /// Seconds east of UTC at an instant: 7 200 in summer time, 3 600 otherwise.
    public static func offset(at instant: Date) -> Int {
        isSummerTime(instant.timeIntervalSince1970) ? 7_200 : 3_600
    }

    /// The day and the seconds since its midnight that Poland's clocks show at an instant.
    public static func wallClock(_ instant: Date) -> (day: CalendarDate, secondOfDay: Int) {
        let local = Int((instant.timeIntervalSince1970 + Double(offset(at: instant))).rounded(.down))
        let (days, second) = local.floorDivided(by: 86_400)
        return (CalendarDate(julianDay: days + CalendarDate.unixEpochJulianDay), second)
    }

    /// "HH:mm" of a second of the day, as Polish texts write a time.
    public static func clock(_ secondOfDay: Int) -> String {
        "\(zeroPadded(secondOfDay / 3600, 2)):\(zeroPadded(secondOfDay / 60 % 60, 2))"
    }

    /// The instant Poland's clocks show `secondOfDay` on `day` (86 400 is the next
    /// midnight). A time the spring change skips is read as the same time after it
    /// (02:30 is 03:30 summer time); one the autumn change repeats, as its first,
    /// summer-time occurrence — what Foundation's `Calendar` answers for both.
    public static func instant(on day: CalendarDate, at secondOfDay: Int) -> Date {
        let local = Double((day.julianDay - CalendarDate.unixEpochJulianDay) * 86_400 + secondOfDay)
        if isSummerTime(local - 7_200) { return Date(timeIntervalSince1970: local - 7_200) }
        return Date(timeIntervalSince1970: local - 3_600)
    }

    /// Whether summer time holds at `seconds` since 1970 (UTC). The changes fall at
    /// 01:00 UTC, far from a new year, so the UTC year is the year they belong to.
    static func isSummerTime(_ seconds: Double) -> Bool {
        let utcDay = Int((seconds / 86_400).rounded(.down)) + CalendarDate.unixEpochJulianDay
        let year = CalendarDate(julianDay: utcDay).year
        return changeover(year, month: 3) <= seconds && seconds < changeover(year, month: 10)
    }

    /// 01:00 UTC on the last Sunday of `month`, in seconds since 1970.
    static func changeover(_ year: Int, month: Int) -> Double {
        let last = CalendarDate(year: year, month: month, day: CalendarDate.days(inMonth: month, year: year))!
        let sunday = last.julianDay - last.isoWeekday % 7
        return Double((sunday - CalendarDate.unixEpochJulianDay) * 86_400 + 3_600)
    }
}

extension Int {
    /// Quotient rounded down and a remainder in `0..<divisor`, for days before 1970 too.
    fileprivate func floorDivided(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}
