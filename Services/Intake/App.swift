import Hummingbird
import ServiceRuntime

@main
struct IntakeApp {
    static func main() async {
        await serviceMain("intake") { try await buildApplication(settings: $0, today: try $0.programmeDay()) }
    }
}
