import ArgumentParser
import Foundation
import ServiceRuntime

/// Where the five services of a local suite answer (`scripts/run`'s ports).
struct SuiteOptions: ParsableArguments {
    @Option(help: "Host the services listen on.") var host = "127.0.0.1"
    @Option(help: "The services listen on this port plus 1 (intake) to 5 (reporting), as scripts/run's ASYSTA_PORT_BASE.") var portBase = 8080
    @Option(help: "Edition the demo works in.") var edition = "2022"
    @Option(help: "Where the demo keeps the NGOs' signing keys and the months it closed.") var state = ".local/demo"
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var service: ServiceOptions
}

/// The suite's HTTP APIs, called as one operator: every request carries the
/// same bearer token (given, or minted with the signing key of `auth.signing_key_file`).
struct Suite: Sendable {
    /// Each service's port above the base.
    enum Service: Int, Sendable, CaseIterable, ExpressibleByArgument {
        case intake = 1
        case eligibility, ordering, timesheet, reporting

        init?(argument: String) {
            guard let service = Self.allCases.first(where: { "\($0)" == argument }) else { return nil }
            self = service
        }

        static var allValueStrings: [String] { allCases.map { "\($0)" } }
    }

    let host: String
    let portBase: Int
    let token: String?
    /// The subject of a minted token: the operator eligibility's audit trail names.
    static let operatorName = "asysta-demo"

    static func connect(_ options: SuiteOptions) async throws -> Suite {
        var token = options.service.token ?? ProcessInfo.processInfo.environment["ASYSTA_ADMIN_TOKEN"]
        if token == nil, let key = try? Settings.load(arguments: []).signingKey() {
            let signer = await TokenSigner(key: key)
            token = try await signer.token(for: Caller(subject: operatorName, role: .operator), lifetime: .seconds(3600))
        }
        return Suite(host: options.host, portBase: options.portBase, token: token)
    }

    func url(_ service: Service, _ path: String) -> String { "http://\(host):\(portBase + service.rawValue)\(path)" }

    /// The status and body.
    func send(
        _ method: String, _ service: Service, _ path: String, _ body: (some Encodable)? = Optional<Empty>.none
    ) async throws -> (status: Int, body: Data) {
        let data = try body.map { try JSONEncoder().encode($0) }
        return try await exchange(method, url(service, path), token: token, body: data)
    }

    /// A request that must succeed, decoded.
    func expect<Response: Decodable>(
        _ response: Response.Type, _ method: String, _ service: Service, _ path: String, _ body: (some Encodable)? = Optional<Empty>.none
    ) async throws -> Response {
        let (status, data) = try await send(method, service, path, body)
        guard (200..<300).contains(status) else {
            throw HTTPFailure(status: status, body: "\(method) \(path): " + String(decoding: data, as: UTF8.self))
        }
        return try JSONDecoder().decode(Response.self, from: data)
    }

    struct Empty: Codable, Sendable {}
}

/// Polls `body` until it returns a value, at most `seconds`.
func eventually<T>(_ what: String, seconds: Double = 60, _ body: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if let value = try await body() { return value }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw ValidationError("timed out after \(Int(seconds)) s waiting for \(what)")
}
