import Foundation
import Testing

/// The ministry export of the five-process test against figures worked out by
/// hand: one participant of each group, 2 h and 2,5 h at 40,00 zł an hour.
struct ExportFigures {
    var report: [String: Any]

    func line(_ table: String, group: String, multiple: Bool?) -> [String: Any]? {
        (report[table] as? [[String: Any]])?.first { $0["group"] as? String == group && $0["multipleDisabilities"] as? Bool == multiple }
    }

    func expectHandComputed() {
        let significant = line("participants", group: "adult-significant", multiple: false)
        let moderate = line("participants", group: "adult-moderate", multiple: true)
        #expect(significant?["granted"] as? Int == 1 && significant?["served"] as? Int == 1, "\(significant ?? [:])")
        #expect(moderate?["granted"] as? Int == 1 && moderate?["served"] as? Int == 1, "\(moderate ?? [:])")
        #expect(line("participants", group: "total", multiple: nil)?["served"] as? Int == 2)

        #expect(line("hoursByGroup", group: "adult-significant", multiple: false)?["hours"] as? String == "2.00")
        #expect(line("hoursByGroup", group: "adult-significant", multiple: false)?["hoursCost"] as? String == "80.00")
        #expect(line("hoursByGroup", group: "adult-moderate", multiple: true)?["hours"] as? String == "2.50")
        #expect(line("hoursByGroup", group: "adult-moderate", multiple: true)?["hoursCost"] as? String == "100.00")
        let total = line("hoursByGroup", group: "total", multiple: nil)
        #expect(total?["hours"] as? String == "4.50" && total?["hoursCost"] as? String == "180.00", "\(total ?? [:])")

        let provider = (report["hoursByProvider"] as? [[String: Any]])?.first { $0["providerID"] as? String == "fundacja-promyk-slonca" }
        #expect(provider?["minutes"] as? Int == 270 && provider?["hoursCost"] as? String == "180.00", "\(provider ?? [:])")
        let costs = (report["costs"] as? [[String: Any]])?.last { $0["month"] as? String == "total" && $0["providerID"] == nil }
        #expect(costs?["total"] as? String == "180.00", "\(costs ?? [:])")
    }
}

/// The export's CSV: sections of `;`-separated rows, each headed by its title.
struct CSVSections {
    var sections: [String: [[String]]] = [:]

    init(_ data: Data) {
        var title: String?
        for line in String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n") {
            if line.isEmpty {
                title = nil
                continue
            }
            let fields = line.components(separatedBy: ";")
            if let current = title { sections[current, default: []].append(fields) } else { title = line }
        }
    }

    func row(_ section: String, startingWith first: String) -> [String]? {
        sections[section]?.first { $0.first == first }
    }
}
