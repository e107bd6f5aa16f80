/// A report's figures as horizontal bars, drawn on the server as SVG (the
/// `bar-chart` partial): each bar's label above it (on two lines when long),
/// its figure beside it, and the bar in a track that stands for the largest
/// value or, for progress against a whole (a plan, a target), for that whole,
/// so a zero still shows its empty track. The same figures stand in a table
/// beside the chart, and the SVG carries them as its text alternative.
struct BarChart: Sendable {
    struct Line: Sendable {
        var text: String
        var y: Int
    }

    struct Bar: Sendable {
        var lines: [Line]
        var text: String
        var barY: Int
        var textY: Int
        var width: Int
    }

    /// One bar: its label, its value and how a table says it, and the whole it is part of, if any.
    struct Figure: Sendable {
        var label: String
        var value: Double
        var text: String
        var whole: Double?
    }

    var id: String
    var title: String
    var description: String
    var height: Int
    var bars: [Bar]

    /// The bar's full length in the 1000-wide view box; its figure stands to its right.
    static let barLength = 700
    static let lineHeight = 36
    /// The characters of a label line at the labels' size.
    static let lineLength = 55

    init(id: String, title: String, figures: [Figure]) {
        let largest = figures.filter { $0.whole == nil }.map(\.value).max() ?? 0
        self.id = id
        self.title = title
        var top = 0
        bars = figures.map { figure in
            let whole = figure.whole ?? largest
            let fraction = whole > 0 ? min(max(figure.value / whole, 0), 1) : 0
            let lines = Self.wrap(figure.label).enumerated().map { Line(text: $1, y: top + Self.lineHeight * ($0 + 1)) }
            let barY = top + Self.lineHeight * lines.count + 14
            top = barY + 50
            return Bar(
                lines: lines, text: figure.text, barY: barY, textY: barY + 28, width: Int((fraction * Double(Self.barLength)).rounded()))
        }
        height = max(top, 50)
        description = title + ": " + figures.map { "\($0.label) – \($0.text)" }.joined(separator: "; ") + "."
    }

    /// A label in lines of at most `lineLength` characters, broken between words.
    static func wrap(_ label: String) -> [String] {
        var lines: [String] = []
        for word in label.split(separator: " ") {
            if let last = lines.last, last.count + 1 + word.count <= lineLength {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(String(word))
            }
        }
        return lines.isEmpty ? [""] : lines
    }
}
