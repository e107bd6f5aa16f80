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
        @Argument(help: "The service.") var name: Suite.Service
        @Option(help: "The services listen on this port plus 1 (intake) to 5 (reporting), as scripts/run's ASYSTA_PORT_BASE.") var portBase = 8080
        @Option(help: "The service's URL, instead of 127.0.0.1 and the port base.") var url: String?

        var base: String { url ?? "http://127.0.0.1:\(portBase + name.rawValue)" }
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
            let text = try await call("GET", "\(target.base)/admin/outbox/parked", token: target.service.token)
            let events = try JSONDecoder().decode(Answer.self, from: Data(text.utf8)).events
            for event in events {
                print("\(event.position)\t\(event.topic)\t\(event.type)\t\(event.bytes) bytes\t\(event.parkedAt)\t\(event.reason)\t\(event.eventID)")
            }
            if events.isEmpty { print("nothing parked in \(target.name)'s outbox") }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put every parked event back in the service's outbox, in its old place; one still refused is parked again.")
        @OptionGroup var target: Outbox.Target

        func run() async throws {
            print(try await call("POST", "\(target.base)/admin/outbox/parked/replay", token: target.service.token))
        }
    }
}
