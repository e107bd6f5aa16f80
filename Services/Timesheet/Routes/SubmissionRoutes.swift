import Domain
import EventJSON
import FoundationEssentials
import HTTPTypes
import Hummingbird
import ServiceRuntime

/// `POST /submissions`: the NGO contract over HTTP, for NGOs that cannot run a
/// Kafka producer. The same CloudEvent JSON, the same signature (in the
/// `Asysta-Signature` header); the answer comes on the results topic like any other.
/// The bearer token says which NGO is calling (or an operator); an NGO may
/// submit only its own entries.
struct SubmissionRoutes<Context: CallerRequestContext> {
    let store: SubmissionStore
    /// Where the answer will be published (with the deployment's topic prefix).
    let resultsTopic: String

    struct Body: Encodable, Sendable {
        struct Results: Encodable, Sendable {
            var topic: String
            var key: String
        }
        var status = "queued"
        var providerID: String
        var entryID: String
        var sequence: Int
        var results: Results
        var history: String
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("submissions") { request, context in
            let caller = try context.require(.provider, .operator)
            try request.requireJSONContentType()
            let record: [UInt8]
            do {
                record = Array(buffer: try await request.body.collect(upTo: EventCodec.maximumSize))
            } catch {
                throw APIError(.contentTooLarge, code: "too-large", message: "an entry may have at most \(EventCodec.maximumSize) bytes")
            }
            let envelope: EventEnvelope<TimesheetEntrySubmitted>
            do {
                envelope = try EventCodec.decode(TimesheetEntrySubmitted.self, from: record)
            } catch let problem as EventDecodingError {
                throw APIError(
                    .unprocessableContent, code: "invalid-entry", message: problem.message,
                    fields: problem.field.map { [APIError.FieldError(field: $0, message: problem.message)] } ?? [])
            }
            let entry = envelope.data
            guard caller.maySee(entry.providerID) else {
                throw APIError(.forbidden, code: "forbidden", message: "an NGO may submit only its own entries")
            }
            let header = request.headers[HTTPField.Name(Signature.headerName)!]
            let keys = try await store.keys(header.flatMap(Signature.init(header:)).map { [$0.keyID] } ?? [])
            if let problem = SignatureCheck.problem(
                header: header, value: record, providerID: entry.providerID, source: envelope.source, keys: keys, now: Date())
            {
                throw APIError(.unauthorized, code: TimesheetRejectionCode.badSignature.rawValue, message: problem)
            }
            try await store.enqueue(record: record, signature: header!, entry: entry)
            return JSONBody(Self.queued(entry, resultsTopic: resultsTopic), status: .accepted)
        }
        return routes
    }

    /// Where the answer to a queued entry will be.
    static func queued(_ entry: TimesheetEntrySubmitted, resultsTopic: String) -> Body {
        Body(
            providerID: entry.providerID.rawValue, entryID: entry.entryID, sequence: entry.sequence,
            results: .init(topic: resultsTopic, key: entry.providerID.rawValue),
            history: "/providers/\(entry.providerID)/entries/\(PathSegment.encoded(entry.entryID))")
    }
}
