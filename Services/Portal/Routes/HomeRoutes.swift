import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// Each person's home page: what their role can do here, with a first look at
/// their own data, read from the services as that person.
struct HomeRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let clock: ProgrammeClock

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("start", use: home)
        return routes
    }

    /// The figures of a participant's grant in hours, as people count them.
    struct Hours: Sendable {
        var period: String
        var granted: String
        var delivered: String
        var booked: String
        var left: String
    }

    /// A visit to come, for the participant's home page.
    struct NextVisit: Sendable {
        var day: String
        var hours: String
        var activity: String
        var who: String
    }

    struct Home: Sendable {
        var welcome: Bool
        var participant: Bool
        var hours: Hours?
        var chart: HoursChart?
        var nextVisits: [NextVisit]
        var assistant: Bool
        var provider: Bool
        var providerName: String?
        var assistants: [ServiceRecords.Assistant]
        var staff: Bool
        var mayInvite: Bool
        var mayIssueLetters: Bool
        var awaitingReview: Int?
        var providers: [ServiceRecords.Provider]
    }

    @Sendable func home(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request)
        var home = Home(
            welcome: request.uri.queryParameters["witaj"] != nil, participant: account.role == .participant, nextVisits: [],
            assistant: account.role == .assistant, provider: account.role == .provider, assistants: [],
            staff: [.operator, .coordinator, .auditor].contains(account.role),
            mayInvite: [.operator, .provider].contains(account.role), mayIssueLetters: [.operator, .coordinator].contains(account.role),
            providers: [])
        switch account.role {
        case .participant:
            let answer = try await services.send(.GET, .ordering, "/participants/\(account.participantID ?? "")/allowance", as: account)
            if answer.status == .ok {
                let allowance = try JSONDecoder().decode(ServiceRecords.Allowance.self, from: answer.body)
                home.hours = Hours(
                    period: "od \(PolishText.day(allowance.period.start)) do \(PolishText.day(allowance.period.end))",
                    granted: PolishText.hours(allowance.grantedMinutes), delivered: PolishText.hours(allowance.deliveredMinutes),
                    booked: PolishText.hours(allowance.reservedMinutes), left: PolishText.hours(allowance.remainingMinutes))
                home.chart = HoursChart(
                    grantedMinutes: allowance.grantedMinutes, deliveredMinutes: allowance.deliveredMinutes,
                    bookedMinutes: allowance.reservedMinutes, leftMinutes: allowance.remainingMinutes)
            } else if answer.status != .notFound {
                throw ServiceCallFailure.answered(.ordering, answer.status.code)
            }
            home.nextVisits = try await nextVisits(of: account)
        case .assistant, .provider:
            let providers = try await services.providers(as: account)
            home.providerName = providers.first { $0.providerID == account.providerID }?.name
            if account.role == .provider {
                home.assistants = try await services.assistants(of: account.providerID ?? "", as: account)
            }
        case .operator:
            let page = try await services.get(
                ServiceRecords.Decisions.self, from: .eligibility, "/decisions?awaitingReview=true&limit=1000", as: account)
            home.awaitingReview = page.decisions.count
            home.providers = try await services.providers(as: account)
        case .coordinator, .auditor:
            home.providers = try await services.providers(as: account)
        }
        return pages.render("home", title: "Strona główna", context: context, content: home, path: "/start")
    }

    /// The next three visits not cancelled, with who delivers them (the NGO's name; the assistant once assigned).
    private func nextVisits(of account: Account) async throws -> [NextVisit] {
        let now = clock.now()
        let upcoming = try await services.orders(of: account)
            .filter { $0.status != "cancelled" && (Timestamp.parse($0.endsAt) ?? now) >= now }
            .sorted { $0.startsAt < $1.startsAt }
            .prefix(3)
        guard !upcoming.isEmpty else { return [] }
        let names = Dictionary(try await services.providers(as: account).map { ($0.providerID, $0.name) }, uniquingKeysWith: { a, _ in a })
        return upcoming.map { order in
            NextVisit(
                day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
                activity: ActivityCategory(rawValue: order.activity).map(Labels.activity) ?? order.activity,
                who: order.providerID.flatMap { names[$0] }.map { "asystent z organizacji \($0)" } ?? "czeka na przydzielenie asystenta")
        }
    }
}
