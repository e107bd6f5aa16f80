import Foundation
import ZIPFoundation

/// Reads a workbook's parts back with ZIPFoundation, a reader that shares nothing
/// with reporting's own `ZipArchive`: the tests see what a spreadsheet program will see.
enum XLSXReader {
    /// Every part of the package, by path, as text.
    static func parts(of workbook: [UInt8]) throws -> [String: String] {
        let archive = try Archive(data: Data(workbook), accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = String(decoding: data, as: UTF8.self)
        }
        return parts
    }

    /// The text of every worksheet, one after another (for searching).
    static func sharedText(of workbook: [UInt8]) throws -> String {
        try parts(of: workbook).filter { $0.key.hasPrefix("xl/worksheets/") }.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n")
    }
}
