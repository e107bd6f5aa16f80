import ArgumentParser
import Foundation

/// Events a service's relay parked because the broker refused them for good.
struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Events a service could not publish.", subcommands: [Parked.self])

    struct Parked: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the events a service's relay parked (refused for good by the broker), or put them back in its outbox after a fix.",
            subcommands: [List.self, Replay.self]
        )
    }

    /// Which service, and where its API is (the ports `scripts/run` uses unless told).
    struct Target: ParsableArguments {
        @OptionGroup var service: ServiceOptions
        @Argument(help: "The service: intake, eligibility, ordering, timesheet or reporting.") var name: String
        @Option(help: "The service's URL (default: http://127.0.0.1:<its port in scripts/run>).") var url: String?

        static let ports = ["intake": 8081, "eligibility": 8082, "ordering": 8083, "timesheet": 8084, "reporting": 8085]

        func base() throws -> String {
            if let url { return url }
            guard let port = Self.ports[name] else { throw ValidationError("no service '\(name)'; one of \(Self.ports.keys.sorted().joined(separator: ", "))") }
            return "http://127.0.0.1:\(port)"
        }
    }
}

extension Outbox.Parked {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every parked event: position, topic, type, size, when and why.")
        @OptionGroup var target: Outbox.Target

        struct Answer: Decodable {
            struct Event: Decodable {
                var position: Int64
                var eventID: String
                var topic: String
                var type: String
                var bytes: Int
                var reason: String
                var parkedAt: String
            }
            var events: [Event]
        }

        func run() async throws {
            let text = try await call("GET", "\(try target.base())/admin/outbox/parked", token: target.service.token)
            let events = try JSONDecoder().decode(Answer.self, from: Data(text.utf8)).events
            for event in events {
                print("\(event.position)\t\(event.topic)\t\(event.type)\t\(event.bytes) bytes\t\(event.parkedAt)\t\(event.reason)\t\(event.eventID)")
            }
            if events.isEmpty { print("nothing parked in \(target.name)'s outbox") }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put every parked event back in the service's outbox, in its old place; one still refused is parked again.")
        @OptionGroup var target: Outbox.Target

        func run() async throws {
            print(try await call("POST", "\(try target.base())/admin/outbox/parked/replay", token: target.service.token))
        }
    }
}
