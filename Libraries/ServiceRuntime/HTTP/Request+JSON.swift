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
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw APIError(.badRequest, code: "malformed-json", message: "the body is not valid JSON")
        } catch let error as DecodingError {
            throw APIError.invalid([Self.fieldError(error)])
        } catch {
            throw APIError(.badRequest, code: "malformed-json", message: "the body is not valid JSON")
        }
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

extension KeyedDecodingContainer {
    /// An optional field a client may leave out but not send as `null`: the
    /// documents say "absent means none", and one meaning is easier to rely on.
    public func decodeUnlessAbsent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null; leave the field out for none"))
        }
        return try decode(T.self, forKey: key)
    }
}
