import AsyncHTTPClient
import Domain
import EventJSON
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceRuntime

/// The five services, as the portal reaches them: by URL, like any integrator.
enum Backend: String, CaseIterable, Sendable {
    case intake, eligibility, ordering, timesheet, reporting
}

/// Calls the services' public HTTP APIs for the signed-in person, with a
/// short-lived token for that person signed by the portal's own key: a service
/// then applies its own rules to the person, as it would for any client.
struct ServiceClient: Sendable {
    let baseURLs: [Backend: String]
    let signer: TokenSigner
    let http: HTTPClient
    /// Long enough for one page's calls; a leaked token is soon worthless.
    static let tokenLifetime = Duration.seconds(120)

    /// Reads `path` of `backend` as `account` and decodes the JSON answer.
    func get<T: Decodable & Sendable>(_ type: T.Type, from backend: Backend, _ path: String, as account: Account) async throws -> T {
        let (status, body) = try await send(.GET, backend, path, as: account)
        guard status == .ok else { throw ServiceCallFailure.answered(backend, status.code) }
        do {
            return try EventCodec.foundationDecoder.decode(T.self, from: body)
        } catch {
            throw ServiceCallFailure.unreadable(backend)
        }
    }

    /// Sends one request; a service that cannot be reached, or answers 5xx, is a `ServiceCallFailure`.
    func send(
        _ method: HTTPMethod, _ backend: Backend, _ path: String, json: Data? = nil, as account: Account
    ) async throws -> (
        status: HTTPResponseStatus, body: Data
    ) {
        guard let base = baseURLs[backend] else { throw ServiceCallFailure.unreachable(backend) }
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer " + (try await signer.token(for: account.caller, lifetime: Self.tokenLifetime)))
        request.headers.add(name: "Accept", value: "application/json")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(10))
        } catch {
            throw ServiceCallFailure.unreachable(backend)
        }
        let body = try await response.body.collect(upTo: 16 << 20)
        if response.status.code >= 500 { throw ServiceCallFailure.answered(backend, response.status.code) }
        return (response.status, Data(buffer: body))
    }
}

/// A service the page needed did not answer usefully. The person gets a page
/// with a reference number; the log gets the same number and the cause.
enum ServiceCallFailure: Error, CustomStringConvertible {
    case unreachable(Backend)
    case answered(Backend, UInt)
    case unreadable(Backend)

    var description: String {
        switch self {
        case let .unreachable(backend): "\(backend.rawValue) could not be reached"
        case let .answered(backend, status): "\(backend.rawValue) answered \(status)"
        case let .unreadable(backend): "\(backend.rawValue) answered with JSON the portal could not read"
        }
    }
}
