import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a service's API is and who is calling it.
struct ServiceOptions: ParsableArguments {
    @Option(help: "Bearer token of an operator (default: ASYSTA_ADMIN_TOKEN; mint one with `asysta-admin token --role operator`).")
    var token: String?
}

struct Providers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage NGOs' signing keys.", subcommands: [IssueKey.self])

    struct IssueKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-key",
            abstract: "Issue a new signing key for an NGO (rotating: the previous key stays valid for the grace period). The secret is printed once."
        )
        @OptionGroup var service: ServiceOptions
        @Option(help: "The timesheet service's URL.") var timesheet = "http://127.0.0.1:8084"
        @Argument(help: "The provider id, e.g. fundacja-promyk-slonca.") var provider: String

        func run() async throws {
            print(try await call("POST", "\(timesheet)/providers/\(provider)/keys", token: service.token))
        }
    }
}

struct Months: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close a month: later changes to it must come as corrections with a reason.", subcommands: [Close.self])

    struct Close: AsyncParsableCommand {
        @OptionGroup var service: ServiceOptions
        @Option(help: "The timesheet service's URL.") var timesheet = "http://127.0.0.1:8084"
        @Argument(help: "The edition, e.g. 2022.") var edition: String
        @Argument(help: "The month, YYYY-MM.") var month: String

        func run() async throws {
            print(try await call("POST", "\(timesheet)/editions/\(edition)/months/\(month)/close", token: service.token))
        }
    }
}

struct Reporting: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reporting operations.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild reporting's read models from the start of the topics.")
        @OptionGroup var service: ServiceOptions
        @Option(help: "The reporting service's URL.") var reporting = "http://127.0.0.1:8085"

        func run() async throws {
            print(try await call("POST", "\(reporting)/admin/rebuild", token: service.token))
        }
    }
}

struct HTTPFailure: Error, CustomStringConvertible {
    var status: Int
    var body: String
    var description: String { "HTTP \(status): \(body)" }
}

/// One request; the response body on success, an error carrying the service's error body otherwise.
func call(_ method: String, _ url: String, token: String?, body: Data? = nil) async throws -> String {
    let (status, data) = try await exchange(method, url, token: token ?? ProcessInfo.processInfo.environment["ASYSTA_ADMIN_TOKEN"], body: body)
    let text = String(decoding: data, as: UTF8.self)
    guard (200..<300).contains(status) else { throw HTTPFailure(status: status, body: text) }
    return text
}

/// The one place a request to a service is made: JSON in and out, the caller's bearer token.
func exchange(_ method: String, _ url: String, token: String?, body: Data? = nil) async throws -> (status: Int, body: Data) {
    guard let address = URL(string: url) else { throw ValidationError("not a URL: \(url)") }
    var request = URLRequest(url: address)
    request.httpMethod = method
    request.httpBody = body
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
}
