import Domain
import Foundation
import Testing

/// `Timestamp` reads whole-second timestamps and writes timestamps by hand; Foundation's
/// ISO 8601 format style is the reference it must agree with.
@Suite struct TimestampTests {
    private let reference = Date.ISO8601FormatStyle(includingFractionalSeconds: false)

    @Test func agreesWithFoundationOnRandomInstantsAndOffsets() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            // Years 1600 to 9999, whole seconds.
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -11_676_096_000..<253_402_300_800, using: &generator)))
            #expect(Timestamp.format(date) == reference.format(date))
            #expect(Timestamp.parse(reference.format(date)) == date)

            let offsetMinutes = Int.random(in: -(12 * 60)...(14 * 60), using: &generator)  // the zones in use
            let zoned = Date.ISO8601FormatStyle(
                timeZoneSeparator: .colon, includingFractionalSeconds: false, timeZone: TimeZone(secondsFromGMT: offsetMinutes * 60)!)
            let text = zoned.format(date)
            #expect(Timestamp.parse(text) == (try reference.parse(text)), "\(text)")
        }
    }

    @Test(arguments: [
        "2024-02-29T23:59:59Z", "2100-03-01T00:00:00Z", "2000-02-29T12:00:00+14:00", "1600-01-01T00:00:00Z", "1200-05-04T08:00:00Z",
        "9999-12-31T23:59:59Z", "2022-05-04T00:30:00+02:00", "2022-12-31T23:00:00-01:00",
    ])
    func agreesWithFoundationAtEdges(_ text: String) throws {
        #expect(Timestamp.parse(text) == (try reference.parse(text)))
    }

    @Test func refusesWhatIsNotAnInstant() {
        #expect(Timestamp.parse("2022-05-04T08:00:00") == nil, "no zone")
        #expect(Timestamp.parse("2022-13-04T08:00:00Z") == nil)
        #expect(Timestamp.parse("2022-02-30T08:00:00Z") == nil, "not rolled over to 2 March")
        #expect(Timestamp.parse("2022-05-04T24:00:00Z") == nil)
        #expect(Timestamp.parse("2022-05-04T08:00:00+25:00") == nil)
        #expect(Timestamp.parse("2022-05-04 08:00:00Z") == nil)
    }

    /// Milliseconds are truncated, as the format style truncates them; the
    /// reference date (how `Date` stores an instant) decides the last digit.
    @Test func writesFractionsAsFoundationDoes() {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<20_000 {
            let seconds: Double =
                switch index % 3 {
                case 0: Double.random(in: -11_676_096_000..<253_402_300_800, using: &generator)
                case 1: Double(Int64.random(in: -11_676_096_000_000..<253_402_300_800_000, using: &generator)) / 1000  // whole milliseconds
                default: Date().timeIntervalSince1970 + Double.random(in: 0..<1, using: &generator)  // what `Date()` gives events
                }
            let date = Date(timeIntervalSince1970: seconds)
            guard date.timeIntervalSinceReferenceDate.rounded(.down) != date.timeIntervalSinceReferenceDate else { continue }
            #expect(Timestamp.format(date) == fractional.format(date), "\(seconds)")
        }
    }

    @Test func keepsFractionsOfASecond() throws {
        let date = try #require(Timestamp.parse("2022-05-04T08:00:00.250Z"))
        #expect(date.timeIntervalSince1970 == 1_651_651_200.25)
        #expect(Timestamp.format(date) == "2022-05-04T08:00:00.250Z")
    }
}
