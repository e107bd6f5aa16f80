/// The participant's hours as one bar, drawn on the server as SVG: delivered,
/// booked and left, out of the hours granted. The same figures stand in the
/// table beside it, and the SVG carries them as its text alternative, so the
/// chart adds a picture and hides nothing. Colours are SVG attributes (the
/// Content-Security-Policy allows no inline style) with at least 3:1 contrast.
struct HoursChart: Sendable {
    struct Segment: Sendable {
        var x: Int
        var width: Int
        var fill: String
    }

    var segments: [Segment]
    var description: String

    static let width = 1000

    init(grantedMinutes: Int, deliveredMinutes: Int, bookedMinutes: Int, leftMinutes: Int) {
        let total = max(grantedMinutes, deliveredMinutes + bookedMinutes + max(leftMinutes, 0), 1)
        var x = 0
        var segments: [Segment] = []
        for (minutes, fill) in [(deliveredMinutes, "#0b4f8a"), (bookedMinutes, "#4a7fb5"), (max(leftMinutes, 0), "#ffffff")] where minutes > 0 {
            let width = minutes * Self.width / total
            segments.append(Segment(x: x, width: width, fill: fill))
            x += width
        }
        self.segments = segments
        let sentence =
            "Z \(PolishText.hours(grantedMinutes)) przyznanych wykorzystano \(PolishText.hours(deliveredMinutes)), "
            + "zarezerwowano \(PolishText.hours(bookedMinutes)), zostało \(PolishText.hours(leftMinutes))"
        // "godz." already ends with a full stop.
        description = sentence.hasSuffix(".") ? sentence : sentence + "."
    }
}
