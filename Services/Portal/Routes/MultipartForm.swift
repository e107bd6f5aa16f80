import Foundation

/// A file a person attached to a form.
struct UploadedFile: Sendable, Equatable {
    var fileName: String
    var bytes: [UInt8]

    /// The scan's kind from its first bytes, never from its name or the browser's
    /// word: the only kinds intake's documents may be.
    var kind: Kind? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }

    enum Kind: String, Sendable { case pdf, jpeg, png }
}

/// A `multipart/form-data` body (RFC 7578), the only way a page without
/// JavaScript can send files: its text fields and its files, by field name.
/// A file input left empty (no file name, no bytes) is no file.
struct MultipartForm: Sendable, Equatable {
    var fields: [String: String] = [:]
    var files: [String: UploadedFile] = [:]

    /// The boundary of a `multipart/form-data` content type, or nil for any other.
    static func boundary(of contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// Parses `body`; nil when it is not a well-formed multipart body with this boundary.
    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n\r\n".utf8)
        guard var start = Self.find(delimiter, in: body, from: 0) else { return nil }
        while true {
            let afterDelimiter = start + delimiter.count
            // "--" after a delimiter closes the body.
            if body.count >= afterDelimiter + 2, body[afterDelimiter] == UInt8(ascii: "-"), body[afterDelimiter + 1] == UInt8(ascii: "-") { return }
            let partStart = afterDelimiter + 2  // the delimiter's CRLF
            guard partStart <= body.count, let next = Self.find(Array("\r\n".utf8) + delimiter, in: body, from: partStart),
                let headerEnd = Self.find(separator, in: body, from: partStart), headerEnd <= next
            else { return nil }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            let content = Array(body[(headerEnd + separator.count)..<next])
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                let name = Self.parameter("name", in: String(disposition))
            else { return nil }
            if let fileName = Self.parameter("filename", in: String(disposition)) {
                if !(fileName.isEmpty && content.isEmpty) { files[name] = UploadedFile(fileName: fileName, bytes: content) }
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
            start = next + 2
        }
    }

    /// A quoted parameter of a Content-Disposition header: `name="pesel"`.
    private static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(key + "=") else { continue }
            let value = pair.dropFirst(key.count + 1)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : String(value)
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
