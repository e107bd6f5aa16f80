import Hummingbird
import ServiceRuntime

@main
struct EligibilityApp {
    static func main() async throws {
        let settings = try Settings.load()
        let app = try await buildApplication(settings: settings, today: try settings.programmeDay())
        try await app.runService()
    }
}
