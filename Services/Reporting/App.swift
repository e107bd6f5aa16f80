import Hummingbird
import ServiceRuntime

@main
struct App {
    static func main() async throws {
        let settings = try Settings.load()
        let app = try await buildApplication(settings: settings)
        try await app.runService()
    }
}
