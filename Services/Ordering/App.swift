import Hummingbird
import ServiceRuntime

@main
struct OrderingApp {
    static func main() async throws {
        let app = try await buildApplication(settings: try Settings.load())
        try await app.runService()
    }
}
