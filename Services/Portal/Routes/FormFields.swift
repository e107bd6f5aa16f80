import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body. A repeated name
/// keeps its last value: no form of the portal repeats one.
struct FormFields: Sendable, Equatable {
    var values: [String: String] = [:]

    init(values: [String: String] = [:]) {
        self.values = values
    }

    init(urlEncoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(Self.decode)
            values[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
    }

    subscript(name: String) -> String {
        values[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// A password as typed: spaces at either end are part of it.
    func raw(_ name: String) -> String { values[name] ?? "" }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

extension FormFields {
    /// A query string of `values`, names sorted: "miesiac=2022-05&wpis=KRU%2F1".
    static func query(_ values: [String: String]) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.urlComponentEncoded)" }.joined(separator: "&")
    }
}

extension String {
    /// As one path segment or one form value: only RFC 3986's unreserved characters stay as they are.
    var urlComponentEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }

    /// A local path carried in a query parameter (where to go after signing in): its slashes stay.
    var urlPathEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-._~"))) ?? ""
    }
}

extension Request {
    /// The query string as a page's fields: the last value of a repeated name, as in a posted form.
    var queryFields: [String: String] {
        Dictionary(uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
    }
}
