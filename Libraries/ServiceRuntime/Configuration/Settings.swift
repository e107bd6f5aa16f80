import Domain
import FoundationEssentials

/// A service's settings: a flat JSON file of dotted keys ("http.port"), each of
/// which an environment variable can override (`ASYSTA_HTTP_PORT`). Containers
/// set the environment; local runs use the file.
public struct Settings: Sendable {
    private var file: [String: String]
    private var environment: [String: String]

    public init(file: [String: String] = [:], environment: [String: String] = [:]) {
        self.file = file
        self.environment = environment
    }

    /// Reads the file named by `--config <path>` or `ASYSTA_CONFIG`, if any, and the process environment.
    public static func load(
        arguments: [String] = CommandLine.arguments, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Settings {
        var path = environment["ASYSTA_CONFIG"]
        if let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count { path = arguments[index + 1] }
        guard let path else { return Settings(environment: environment) }
        return Settings(file: try parse(contentsOf: URL(fileURLWithPath: path)), environment: environment)
    }

    static func parse(contentsOf url: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SettingsError.unreadable(url.path) }
        guard case let .object(object)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw SettingsError.notAnObject(url.path)
        }
        var flat: [String: String] = [:]
        func flatten(_ value: JSONValue, _ key: String) {
            switch value {
            case let .object(nested): for (k, v) in nested { flatten(v, key.isEmpty ? k : key + "." + k) }
            case let .array(list): flat[key] = list.compactMap(\.scalar).joined(separator: ",")
            default: flat[key] = value.scalar
            }
        }
        flatten(.object(object), "")
        return flat
    }

    public static func environmentName(of key: String) -> String {
        "ASYSTA_" + key.uppercased().replacing(".", with: "_")
    }

    /// Overrides a key, as tests and the local launcher do.
    public mutating func set(_ key: String, _ value: String?) {
        environment[Self.environmentName(of: key)] = value
    }

    public func string(_ key: String) -> String? {
        environment[Self.environmentName(of: key)] ?? file[key]
    }

    public func string(_ key: String, default value: String) -> String { string(key) ?? value }

    public func require(_ key: String) throws -> String {
        guard let value = string(key), !value.isEmpty else { throw SettingsError.missing(key) }
        return value
    }

    public func int(_ key: String, default value: Int) throws -> Int {
        guard let text = string(key) else { return value }
        guard let number = Int(text) else { throw SettingsError.invalid(key, "an integer") }
        return number
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let text = string(key)?.lowercased() else { return value }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw SettingsError.invalid(key, "true or false")
        }
    }

    public func list(_ key: String) -> [String] {
        (string(key) ?? "").split(separator: ",").map(\.trimmed).filter { !$0.isEmpty }
    }

    /// Every key under `prefix.` (without the prefix), e.g. librdkafka pass-through
    /// properties. The environment overrides and adds keys here as everywhere:
    /// `ASYSTA_KAFKA_PROPERTIES_FETCH_WAIT_MAX_MS` is `fetch.wait.max.ms` under
    /// `kafka.properties` (an underscore after the prefix stands for a dot).
    public func section(_ prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in file where key.hasPrefix(prefix + ".") { result[String(key.dropFirst(prefix.count + 1))] = value }
        let environmentPrefix = Self.environmentName(of: prefix) + "_"
        for (name, value) in environment where name.hasPrefix(environmentPrefix) {
            result[name.dropFirst(environmentPrefix.count).lowercased().replacing("_", with: ".")] = value
        }
        return result
    }
}

public enum SettingsError: Error, CustomStringConvertible {
    case unreadable(String)
    case notAnObject(String)
    case missing(String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case let .unreadable(path): "cannot read the settings file \(path)"
        case let .notAnObject(path): "the settings file \(path) must hold a JSON object"
        case let .missing(key): "the setting '\(key)' (or \(Settings.environmentName(of: key))) is required"
        case let .invalid(key, expected): "the setting '\(key)' must be \(expected)"
        }
    }
}

/// Just enough JSON to read a settings file without Foundation's untyped `Any`.
private enum JSONValue: Decodable {
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var scalar: String? {
        switch self {
        case let .bool(value): "\(value)"
        case let .integer(value): "\(value)"
        case let .number(value): "\(value)"
        case let .string(value): value
        case .array, .object, .null: nil
        }
    }
}
