import Hummingbird
import ServiceRuntime

@main
struct OrderingApp {
    static func main() async {
        await serviceMain("ordering") { try await buildApplication(settings: $0) }
    }
}
