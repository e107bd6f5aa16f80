import Foundation

/// The latency distribution of each steady phase as one SVG picture: the share
/// of entries answered within x milliseconds (a CDF), x on a log scale so a 5 ms
/// median and a 600 ms tail both show, with the median and p99 lines drawn
/// across, so a reader sees the whole tail, not two percentiles.
enum LatencyChart {
    static let width = 900.0
    static let height = 520.0
    static let left = 70.0
    static let right = 20.0
    static let top = 30.0
    static let bottom = 60.0
    static let colours = ["#0b4f8a", "#b00020", "#1d6b2e", "#7a4a00"]

    /// `distributions`: each phase's name and its latencies in milliseconds, sorted.
    static func svg(_ distributions: [(name: String, latencies: [Double])]) -> String {
        let largest = distributions.compactMap(\.latencies.last).max() ?? 1
        let decades = max(1, Int(log10(max(largest, 1)).rounded(.up)))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        // x from 0.1 ms (10^-1) to 10^decades ms.
        let x = { (ms: Double) in left + (log10(max(ms, 0.1)) + 1) / Double(decades + 1) * plotWidth }
        let y = { (share: Double) in top + (1 - share) * plotHeight }
        var parts: [String] = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="sans-serif" font-size="14">"##,
            ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ]
        for decade in -1...decades {
            let ms = pow(10, Double(decade))
            let label = decade < 0 ? "0.1" : String(Int(ms))
            parts.append(
                ##"<line x1="\##(x(ms))" y1="\##(top)" x2="\##(x(ms))" y2="\##(top + plotHeight)" stroke="#d0d5da"/>"##
                    + ##"<text x="\##(x(ms))" y="\##(top + plotHeight + 20)" text-anchor="middle">\##(label) ms</text>"##)
        }
        for (share, label) in [(0.0, "0"), (0.5, "p50"), (0.99, "p99"), (1.0, "1")] {
            parts.append(
                ##"<line x1="\##(left)" y1="\##(y(share))" x2="\##(left + plotWidth)" y2="\##(y(share))" stroke="#9aa3ad" stroke-dasharray="4 4"/>"##
                    + ##"<text x="\##(left - 8)" y="\##(y(share) + 5)" text-anchor="end">\##(label)</text>"##)
        }
        for (index, distribution) in distributions.enumerated() {
            let colour = colours[index % colours.count]
            let sorted = distribution.latencies
            // At most 400 points: every n-th latency, and the last.
            let step = max(1, sorted.count / 400)
            let points =
                stride(from: 0, to: sorted.count, by: step).map { ($0, sorted[$0]) } + (sorted.isEmpty ? [] : [(sorted.count - 1, sorted.last!)])
            let path = points.map { i, ms in "\(x(ms)),\(y(Double(i + 1) / Double(sorted.count)))" }.joined(separator: " ")
            parts.append(##"<polyline points="\##(path)" fill="none" stroke="\##(colour)" stroke-width="2.5"/>"##)
            let p50 = percentile(sorted, 0.5)
            let p99 = percentile(sorted, 0.99)
            parts.append(
                ##"<text x="\##(left + 10)" y="\##(top + 20 + Double(index) * 20)" fill="\##(colour)" font-weight="700">"##
                    + "\(distribution.name): p50 \(BenchReport.format(p50)) ms, p99 \(BenchReport.format(p99)) ms, n = \(sorted.count)</text>")
        }
        parts.append(
            ##"<text x="\##(left + plotWidth / 2)" y="\##(height - 12)" text-anchor="middle">latency, produced → answer read (log scale); y: share of entries</text>"##
        )
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
