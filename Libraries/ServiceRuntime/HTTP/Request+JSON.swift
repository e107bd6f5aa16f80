import Domain
import EventJSON
import FoundationEssentials
import Hummingbird

extension Request {
    /// The most a JSON body may have; documents travel as references or in their own route.
    public static let maximumJSONBody = 256 * 1024

    /// Decodes a JSON body, turning every way it can be wrong into an `APIError`
    /// that names the field, so a client learns what to fix.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext, limit: Int = Request.maximumJSONBody) async throws -> T {
        try requireJSONContentType()
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "too-large", message: "the body may have at most \(limit) bytes")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 timestamp with a time zone")
            }
            return date
        }
        let value: T
        do {
            value = try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw APIError(.badRequest, code: "malformed-json", message: "the body is not valid JSON")
        } catch let error as DecodingError {
            throw APIError.invalid([Self.fieldError(error)])
        } catch {
            throw APIError(.badRequest, code: "malformed-json", message: "the body is not valid JSON")
        }
        if let field = Self.firstNull(in: buffer.readableBytesView) {
            throw APIError.invalid([.init(field: field, message: "is null; leave the field out instead")])
        }
        return value
    }

    /// A declared content type must be JSON (`application/json`, or any `+json` type
    /// such as `application/cloudevents+json`); a body sent without one is read as JSON.
    public func requireJSONContentType() throws {
        guard let contentType = headers[.contentType] else { return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmed.lowercased() } ?? ""
        guard mediaType == "application/json" || mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json") else {
            throw APIError(.unsupportedMediaType, code: "unsupported-media-type", message: "the body must be sent as application/json")
        }
    }

    /// The field of the first `null` in a well-formed document. No document allows
    /// `null`: a field that may be left out means one thing when absent, and a
    /// client that sends `null` learns so instead of having it read as absent.
    static func firstNull(in bytes: some Sequence<UInt8>) -> String? {
        // One step per open container: the member's key, or the element's index.
        var path: [PathStep] = []
        var inString = false
        var escaped = false
        var readingKey = false
        var key: [UInt8] = []
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if readingKey { path[path.count - 1] = .key(String(decoding: key, as: UTF8.self)) }
                    continue
                }
                if readingKey { key.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                // A string right after `{` or a comma in an object is a key.
                readingKey = path.last?.isAwaitingKey ?? false
                if readingKey { path[path.count - 1] = .key("") }
                key.removeAll(keepingCapacity: true)
            case UInt8(ascii: "{"): path.append(.awaitingKey)
            case UInt8(ascii: "["): path.append(.index(0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): path.removeLast()
            case UInt8(ascii: ","):
                if case .index(let index) = path.last { path[path.count - 1] = .index(index + 1) } else { path[path.count - 1] = .awaitingKey }
            // Outside strings only `null` has an "n" (`true`, `false` and numbers have none).
            case UInt8(ascii: "n"): return String(path.map(\.description).joined().trimmingPrefix("."))
            default: break
            }
        }
        return nil
    }

    private enum PathStep: CustomStringConvertible {
        case awaitingKey
        case key(String)
        case index(Int)

        var isAwaitingKey: Bool {
            if case .awaitingKey = self { true } else { false }
        }

        var description: String {
            switch self {
            case .awaitingKey: ""
            case .key(let key): ".\(key)"
            case .index(let index): "[\(index)]"
            }
        }
    }

    private static func fieldError(_ error: DecodingError) -> APIError.FieldError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacing(".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context.codingPath + [key])
            return .init(field: field, message: "is required")
        case let .valueNotFound(_, context):
            return .init(field: path(context.codingPath), message: "is required")
        case let .typeMismatch(type, context):
            return .init(field: path(context.codingPath), message: "has the wrong type (expected \(type))")
        case let .dataCorrupted(context):
            return .init(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(field: "", message: "could not be decoded")
        }
    }
}

extension APIError {
    /// JSON responses share the suite's encoding of dates and sorted keys.
    public static var encoder: JSONEncoder { EventCodec.foundationEncoder }
}

/// A JSON response body with the suite's encoding.
public struct JSONBody<Value: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var value: Value

    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try APIError.encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
