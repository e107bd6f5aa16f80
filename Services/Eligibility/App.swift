import Hummingbird
import ServiceRuntime

@main
struct EligibilityApp {
    static func main() async {
        await serviceMain("eligibility") { try await buildApplication(settings: $0, today: try $0.programmeDay()) }
    }
}
