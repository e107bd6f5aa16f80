import FoundationEssentials
import Logging
import Synchronization

/// Writes one JSON object per line, for log collectors. Handlers log ids and
/// codes, never personal data; this handler does not try to scrub it.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private static let output = Mutex(())

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Field] = [
            "time": .text(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "level": .text(event.level.rawValue),
            "logger": .text(label),
            "message": .text(event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged { object[key] = Field(value) }
        if event.level >= .warning { object["source"] = .text("\(event.file.split(separator: "/").last ?? ""):\(event.line)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var output = try? encoder.encode(object) else { return }
        output.append(0x0A)
        Self.output.withLock { _ in writeToStandardError(output) }
    }

    /// A line's value: text, or lists and objects of values, as metadata nests them.
    private enum Field: Encodable {
        case text(String)
        case list([Field])
        case object([String: Field])

        init(_ value: Logger.MetadataValue) {
            switch value {
            case let .string(text): self = .text(text)
            case let .stringConvertible(value): self = .text(value.description)
            case let .array(values): self = .list(values.map(Field.init))
            case let .dictionary(values): self = .object(values.mapValues(Field.init))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .text(text): try container.encode(text)
            case let .list(values): try container.encode(values)
            case let .object(values): try container.encode(values)
            }
        }
    }
}
