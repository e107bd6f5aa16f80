import Hummingbird
import ServiceRuntime

@main
struct EligibilityApp {
    static func main() async throws {
        let app = try await buildApplication(settings: try Settings.load())
        try await app.runService()
    }
}
