import Hummingbird
import ServiceRuntime

@main
struct PortalApp {
    static func main() async {
        await serviceMain("portal") { try await buildApplication(settings: $0) }
    }
}
