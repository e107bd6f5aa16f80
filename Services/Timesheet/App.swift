import Hummingbird
import ServiceRuntime

@main
struct TimesheetApp {
    static func main() async {
        await serviceMain("timesheet") { try await buildApplication(settings: $0) }
    }
}
