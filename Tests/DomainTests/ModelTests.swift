import Foundation
import Testing

@testable import Domain
@testable import EventJSON

@Suite struct PeselTests {
    @Test(arguments: [
        (1985, 7, 14), (1900, 1, 1), (1999, 12, 31), (2000, 2, 29), (2004, 2, 29), (2010, 12, 31), (2016, 6, 15), (1888, 3, 9), (2101, 1, 2),
    ])
    func validNumbersGiveTheirBirthDate(_ date: (Int, Int, Int)) throws {
        for serial in [0, 1234, 9999] {
            let text = PeselMaker.make(year: date.0, month: date.1, day: date.2, serial: serial)
            let pesel = try Pesel(text)
            #expect(pesel.birthDate == CalendarDate(year: date.0, month: date.1, day: date.2))
            #expect(pesel.digits == text)
        }
    }

    @Test func theMakerAgreesWithTheChecksumRule() throws {
        // 2000s births carry +20 in the month: 2004-02-29 is "0422 29".
        let text = PeselMaker.make(year: 2004, month: 2, day: 29, serial: 1234)
        #expect(text.hasPrefix("04222912"))
        let digits = text.map { $0.wholeNumberValue! }
        #expect((digits.prefix(10).enumerated().reduce(0) { $0 + $1.element * [1, 3, 7, 9][$1.offset % 4] } + digits[10]) % 10 == 0)
    }

    @Test func everyWrongCheckDigitIsRefused() throws {
        let valid = PeselMaker.make(year: 1985, month: 7, day: 14)
        let check = valid.last!.wholeNumberValue!
        for wrong in 0...9 where wrong != check {
            #expect(throws: Pesel.Problem.badChecksum) { try Pesel(String(valid.dropLast()) + String(wrong)) }
        }
        // A swapped pair of digits changes the checksum too.
        var swapped = Array(valid)
        swapped.swapAt(6, 7)
        if swapped[6] != swapped[7] {
            #expect(throws: Pesel.Problem.self) { try Pesel(String(swapped)) }
        }
    }

    @Test func wrongLengthAndLettersAreRefused() {
        let valid = PeselMaker.make(year: 1985, month: 7, day: 14)
        for text in [
            "", String(valid.dropLast()), valid + "0", "8507141234a", "85O7141234" + "5", " " + String(valid.dropFirst()), "٨٥٠٧١٤١٢٣٤٥",
            "８５０７１４１２３４５", "85-07-14-123",
        ] {
            #expect(throws: Pesel.Problem.notElevenDigits, "\(text)") { try Pesel(text) }
        }
    }

    @Test func impossibleBirthDatesAreRefused() {
        let cases = [
            PeselMaker.make(yy: 85, encodedMonth: 13, day: 1, serial: 1234),  // month 13
            PeselMaker.make(yy: 85, encodedMonth: 0, day: 1, serial: 1234),  // month 0
            PeselMaker.make(yy: 5, encodedMonth: 33, day: 1, serial: 1234),  // 2000s month 13
            PeselMaker.make(yy: 22, encodedMonth: 22, day: 30, serial: 1234),  // 30 Feb 2022
            PeselMaker.make(yy: 23, encodedMonth: 22, day: 29, serial: 1234),  // 29 Feb 2023
            PeselMaker.make(yy: 0, encodedMonth: 2, day: 29, serial: 1234),  // 29 Feb 1900: not a leap year
            PeselMaker.make(yy: 85, encodedMonth: 4, day: 31, serial: 1234),  // 31 April
            PeselMaker.make(yy: 85, encodedMonth: 7, day: 0, serial: 1234),  // day 0
        ]
        for text in cases {
            #expect(throws: Pesel.Problem.impossibleBirthDate, "\(text)") { try Pesel(text) }
        }
        // 29 Feb 2000 is real: 2000 is a leap year.
        #expect(throws: Never.self) { try Pesel(PeselMaker.make(yy: 0, encodedMonth: 22, day: 29, serial: 1234)) }
    }
}

@Suite struct CalendarDateTests {
    @Test func leapYears() {
        #expect(CalendarDate.days(inMonth: 2, year: 2000) == 29)
        #expect(CalendarDate.days(inMonth: 2, year: 1900) == 28)
        #expect(CalendarDate.days(inMonth: 2, year: 2100) == 28)
        #expect(CalendarDate.days(inMonth: 2, year: 2024) == 29)
        #expect(CalendarDate.days(inMonth: 2, year: 2022) == 28)
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2022, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2022, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2022, month: 1, day: 0) == nil)
        let lengths = (1...12).map { CalendarDate.days(inMonth: $0, year: 2022) }
        #expect(lengths.reduce(0, +) == 365)
        #expect((1...12).map { CalendarDate.days(inMonth: $0, year: 2024) }.reduce(0, +) == 366)
    }

    @Test func parsingAndEncoding() throws {
        #expect(CalendarDate("2022-05-01") == CalendarDate(year: 2022, month: 5, day: 1))
        for bad in ["2022-5-01", "2022-05-1", "20220501", "2022-02-30", "2022/05/01", "", "2022-05-01T00:00:00Z", "22-05-01"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("2022-+1-01") == nil)
        #expect(YearMonth("2022-+1") == nil)

        let data = try JSONEncoder().encode([day("2022-05-01")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2022-05-01\"]")
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [day("2022-05-01")])
        #expect(day("0999-01-02").description == "0999-01-02")
    }

    @Test func completedYearsAroundABirthday() {
        let born = day("2006-06-15")
        #expect(born.completedYears(on: day("2022-06-14")) == 15)
        #expect(born.completedYears(on: day("2022-06-15")) == 16)
        #expect(born.completedYears(on: day("2022-12-31")) == 16)
        #expect(born.completedYears(on: day("2006-06-15")) == 0)
        #expect(born.completedYears(on: day("2007-06-14")) == 0)
    }

    @Test func leapDayBirthdays() {
        let born = day("2004-02-29")
        // In a common year the birthday is 28 February.
        #expect(born.completedYears(on: day("2022-02-27")) == 17)
        #expect(born.completedYears(on: day("2022-02-28")) == 18)
        #expect(born.completedYears(on: day("2022-03-01")) == 18)
        // In a leap year it is 29 February.
        #expect(born.completedYears(on: day("2024-02-28")) == 19)
        #expect(born.completedYears(on: day("2024-02-29")) == 20)
        #expect(born.adding(years: 18) == day("2022-02-28"))
        #expect(born.adding(years: 20) == day("2024-02-29"))
    }

    @Test func julianDayRoundTrip() {
        #expect(day("2000-01-01").julianDay == 2_451_545)
        #expect(day("2022-03-01").julianDay - day("2022-02-28").julianDay == 1)
        #expect(day("2024-03-01").julianDay - day("2024-02-28").julianDay == 2)
        #expect(day("2023-01-01").julianDay - day("2022-01-01").julianDay == 365)
        var previous = day("1899-12-31")
        for julian in (previous.julianDay + 1)...(day("2101-01-01").julianDay) {
            let date = CalendarDate(julianDay: julian)
            #expect(date.julianDay == julian)
            #expect(previous < date)
            previous = date
        }
    }

    @Test func addingDays() {
        #expect(day("2022-01-31").adding(days: 1) == day("2022-02-01"))
        #expect(day("2022-02-28").adding(days: 1) == day("2022-03-01"))
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(day("2024-02-29").adding(days: 1) == day("2024-03-01"))
        #expect(day("2022-12-31").adding(days: 1) == day("2023-01-01"))
        #expect(day("2023-01-01").adding(days: -1) == day("2022-12-31"))
        #expect(day("2022-03-01").adding(days: -1) == day("2022-02-28"))
        #expect(day("2022-05-01").adding(days: 244) == day("2022-12-31"))
        #expect(day("2022-05-01").adding(days: 0) == day("2022-05-01"))
        #expect(day("2024-02-29").adding(years: 1) == day("2025-02-28"))
    }

    @Test func monthsAndRanges() {
        #expect(YearMonth("2022-02")?.lastDay == day("2022-02-28"))
        #expect(YearMonth("2024-02")?.lastDay == day("2024-02-29"))
        #expect(YearMonth("2022-12")?.firstDay == day("2022-12-01"))
        #expect(YearMonth("1899-12") == nil)
        #expect(YearMonth("2022-00") == nil)
        #expect(day("2022-06-07").yearMonth == YearMonth("2022-06"))
        let edition = DateRange(start: day("2022-05-01"), end: day("2022-12-31"))
        #expect(edition.contains(day("2022-05-01")) && edition.contains(day("2022-12-31")))
        #expect(!edition.contains(day("2022-04-30")) && !edition.contains(day("2023-01-01")))
    }

    @Test func instantsBecomePolishDays() {
        // 23:30 UTC on 31 May is 01:30 on 1 June in Warsaw (summer time).
        #expect(CalendarDate(instant("2022-05-31T23:30:00Z")) == day("2022-06-01"))
        #expect(CalendarDate(instant("2022-12-31T22:59:59Z")) == day("2022-12-31"))
        #expect(CalendarDate(instant("2022-12-31T23:00:00Z")) == day("2023-01-01"))
        #expect(day("2022-06-01").startOfDay() == instant("2022-05-31T22:00:00Z"))
    }

    /// Poland's clock is worked out from the EU rule; Foundation's calendar in Europe/Warsaw
    /// (tzdata through ICU) is the reference, from the rule's first year, 1996, to 2099.
    @Test func polishTimeAgreesWithFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Warsaw")!
        var generator = SystemRandomNumberGenerator()
        // Random instants, then every quarter hour around each spring and autumn change.
        var instants = (0..<1_000).map { _ in Double.random(in: 820_454_400..<4_102_444_800, using: &generator).rounded(.down) }
        for year in 1996...2099 {
            for month in [3, 10] {
                let change = PolishTime.changeover(year, month: month)
                instants += stride(from: change - 2 * 3600, through: change + 2 * 3600, by: 900).map { $0 }
            }
        }
        for seconds in instants {
            let instant = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            let (day, second) = PolishTime.wallClock(instant)
            #expect(day == CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!), "\(seconds)")
            #expect(second == parts.hour! * 3600 + parts.minute! * 60 + parts.second!, "\(seconds)")
            #expect(PolishTime.offset(at: instant) == calendar.timeZone.secondsFromGMT(for: instant), "\(seconds)")
            // Back from the wall clock: the instant itself, or for the autumn's repeated hour its first occurrence.
            let back = calendar.date(
                from: DateComponents(
                    year: day.year, month: day.month, day: day.day, hour: second / 3600, minute: second / 60 % 60, second: second % 60))!
            #expect(PolishTime.instant(on: day, at: second) == back, "\(seconds)")
        }
    }

    @Test func clockChangesReadAsPolishClocksDo() {
        // 2024: summer time from 31 March 01:00 UTC to 27 October 01:00 UTC.
        #expect(PolishTime.offset(at: instant("2024-03-31T00:59:59Z")) == 3600)
        #expect(PolishTime.offset(at: instant("2024-03-31T01:00:00Z")) == 7200)
        #expect(PolishTime.offset(at: instant("2024-10-27T00:59:59Z")) == 7200)
        #expect(PolishTime.offset(at: instant("2024-10-27T01:00:00Z")) == 3600)
        // 02:30 does not happen on 31 March: it is read as 03:30 summer time.
        #expect(PolishTime.instant(on: day("2024-03-31"), at: 2 * 3600 + 1800) == instant("2024-03-31T01:30:00Z"))
        // 02:30 happens twice on 27 October: the first, in summer time.
        #expect(PolishTime.instant(on: day("2024-10-27"), at: 2 * 3600 + 1800) == instant("2024-10-27T00:30:00Z"))
        #expect(PolishTime.clock(9 * 3600 + 5 * 60 + 59) == "09:05")
        #expect(day("2024-05-06").isoWeekday == 1 && day("2024-05-12").isoWeekday == 7 && day("2000-01-01").isoWeekday == 6)
    }

    @Test func textIsTrimmedAndBytesWrittenInHexadecimal() {
        #expect(" \t Wrocław \n".trimmed == "Wrocław")
        #expect(" \n ".trimmed.isEmpty)
        #expect([0x00, 0x0f, 0xa5, 0xff].hexadecimal == "000fa5ff")
    }
}

@Suite struct AgeFactTests {
    @Test func yearsOnLaterDays() {
        let fact = AgeFact(birthDate: day("2006-06-15"), on: day("2022-05-09"))
        #expect(fact.years == 15)
        #expect(fact.nextBirthday == day("2022-06-15"))
        #expect(fact.years(on: day("2022-05-09")) == 15)
        #expect(fact.years(on: day("2022-06-14")) == 15)
        #expect(fact.years(on: day("2022-06-15")) == 16)
        #expect(fact.years(on: day("2030-01-01")) == 23)
        #expect(fact.birthday(turning: 16) == day("2022-06-15"))
        #expect(fact.birthday(turning: 18) == day("2024-06-15"))
    }

    @Test func agreesWithCompletedYearsEveryDay() {
        let born = day("1988-11-17")
        let fact = AgeFact(birthDate: born, on: day("2022-05-09"))
        var date = day("2022-05-09")
        while date <= day("2027-12-31") {
            #expect(fact.years(on: date) == born.completedYears(on: date), "\(date)")
            date = date.adding(days: 1)
        }
        for age in 34...40 {
            #expect(fact.birthday(turning: age) == born.adding(years: age))
        }
    }

    @Test func leapDayBirthdaysInCommonYears() {
        let born = day("2004-02-29")
        let fact = AgeFact(birthDate: born, on: day("2022-06-01"))
        #expect(fact.years == 18)
        #expect(fact.nextBirthday == day("2023-02-28"))
        #expect(fact.years(on: day("2023-02-27")) == 18)
        #expect(fact.years(on: day("2023-02-28")) == 19)
        #expect(fact.birthday(turning: 19) == day("2023-02-28"))
    }

    /// `nextBirthday` of someone born on 29 February falls on 28 February in a common
    /// year, and stepping from it by whole years never gets back to the 29th.
    @Test func leapDayBirthdaysInLeapYears() {
        let born = day("2004-02-29")
        let fact = AgeFact(birthDate: born, on: day("2022-06-01"))
        #expect(fact.years(on: day("2024-02-28")) == born.completedYears(on: day("2024-02-28")))
        #expect(fact.birthday(turning: 20) == day("2024-02-29"))
    }
}

@Suite struct MoneyTests {
    @Test func parsing() {
        #expect(Money("40")?.grosze == 4000)
        #expect(Money("40.5")?.grosze == 4050)
        #expect(Money("40.50")?.grosze == 4050)
        #expect(Money("40,50")?.grosze == 4050)
        #expect(Money("-1.00")?.grosze == -100)
        #expect(Money("0.05")?.grosze == 5)
        #expect(Money("2492860.00")?.grosze == 249_286_000)
        for bad in [
            "1.234", "abc", "", "-", ".50", "40.", "1 000", "+1", "1e3", "1.2.3", "--1", "40,5,0", "0x10", "12345678901234", "٤٠", "4\u{301}0",
            "40.5\u{301}", "0.12345678901234567890123",
        ] {
            #expect(Money(bad) == nil, "\(bad)")
        }
    }

    @Test func encodesAsTwoPlaceStrings() throws {
        #expect(Money(grosze: 5).description == "0.05")
        #expect(Money(grosze: -5).description == "-0.05")
        #expect(Money(grosze: -150).description == "-1.50")
        #expect(Money.zero.description == "0.00")
        #expect(Money(zloty: 2_492_860).description == "2492860.00")
        let data = try JSONEncoder().encode([Money("40,5")!])
        #expect(String(decoding: data, as: UTF8.self) == "[\"40.50\"]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data("[40.5]".utf8)) }
    }

    @Test func forMinutesRoundsHalfUpToTheGrosz() {
        let rate = Money(zloty: 40)
        #expect(rate.forMinutes(60) == Money(zloty: 40))
        #expect(rate.forMinutes(90) == Money(zloty: 60))
        #expect(rate.forMinutes(210) == Money(zloty: 140))
        #expect(rate.forMinutes(0) == .zero)
        #expect(Money("37.50")!.forMinutes(1) == Money(grosze: 63))  // 62.5 → 63
        #expect(Money("38.50")!.forMinutes(1) == Money(grosze: 64))  // 64.17 → 64
        #expect(Money("38.50")!.forMinutes(2) == Money(grosze: 128))  // 128.33 → 128
        #expect(Money("0.01")!.forMinutes(30) == Money(grosze: 1))  // 0.5 → 1
        #expect(Money("0.01")!.forMinutes(29) == .zero)  // 0.48 → 0
        #expect(Money("40.00")!.forMinutes(840 * 60) == Money(zloty: 33_600))
    }

    @Test func arithmetic() {
        let budget = Budget(ministryGrant: Money("2167704.00")!, municipalContribution: Money("325156.00")!)
        #expect(budget.total == Money("2492860.00")!)
        #expect(Money(zloty: 1) - Money(grosze: 1) == Money("0.99")!)
        #expect(Money(zloty: 1) > Money("0.99")!)
    }
}

@Suite struct HourCapsTests {
    @Test func capForEveryGroup() {
        let caps = HourCaps(significantMultiple: 840, significant: 720, moderateMultiple: 480, moderate: 360, child: 300)
        #expect(caps.cap(for: ParticipantGroup(category: .adultSignificant, multipleDisabilities: true)) == 840)
        #expect(caps.cap(for: ParticipantGroup(category: .adultSignificant, multipleDisabilities: false)) == 720)
        #expect(caps.cap(for: ParticipantGroup(category: .adultModerate, multipleDisabilities: true)) == 480)
        #expect(caps.cap(for: ParticipantGroup(category: .adultModerate, multipleDisabilities: false)) == 360)
        #expect(caps.cap(for: ParticipantGroup(category: .child, multipleDisabilities: false)) == 300)
        #expect(caps.cap(for: ParticipantGroup(category: .child, multipleDisabilities: true)) == 300)
        #expect(ParticipantGroup(category: .adultModerate, multipleDisabilities: true).description == "adult-moderate+multiple")
    }
}

@Suite struct RandomUUIDTests {
    @Test("random ids are version 4 UUIDs in lowercase, and do not repeat")
    func versionFourLowercase() throws {
        let ids = (0..<10_000).map { _ in randomUUIDString() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(500) {
            let parsed = try #require(UUID(uuidString: id), "\(id) reads as a UUID")
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"), "version 4: \(id)")
            #expect("89ab".utf8.contains(bytes[19]), "RFC variant: \(id)")
        }
        // Every hex digit turns up in every random position.
        for position in [0, 12, 20, 35] {
            #expect(Set(ids.map { Array($0.utf8)[position] }).count == 16)
        }
    }
}

/// A statutory grant is version 1's totals with a budget each month, and reads back as them.
@Suite struct SupportGrantedVersionTests {
    @Test func aMonthlyGrantKeepsItsTotalsBothWays() throws {
        let totals = try #require(Samples.all.compactMap { $0.event as? SupportGranted }.first)
        let monthly = SupportGrantedV2(totals, hoursPerMonth: 30, carryOver: true)
        #expect(monthly.totals == totals)
        #expect(monthly.hoursPerMonth == 30 && monthly.carryOver)
    }
}

@Suite struct YearMonthRangeTests {
    @Test func monthsThroughAYearsEndAndNone() {
        let november = YearMonth("2026-11")!
        #expect(november.through(YearMonth("2027-02")!).map(\.description) == ["2026-11", "2026-12", "2027-01", "2027-02"])
        #expect(november.through(november) == [november])
        #expect(november.through(YearMonth("2026-10")!).isEmpty)
        // The calendar's last month has no next: the range still ends.
        #expect(YearMonth("9999-11")!.through(YearMonth("9999-12")!).count == 2)
    }
}
