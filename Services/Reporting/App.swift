import Hummingbird
import ServiceRuntime

@main
struct App {
    static func main() async {
        await serviceMain("reporting") { try await buildApplication(settings: $0) }
    }
}
