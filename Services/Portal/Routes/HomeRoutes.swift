import Foundation
import Hummingbird
import ServiceRuntime

/// Each person's home page: what their role can do here, with a first look at
/// their own data, read from the services as that person.
struct HomeRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("start", use: home)
        return routes
    }

    struct Allowance: Decodable, Sendable {
        struct Period: Decodable, Sendable {
            var start: String
            var end: String
        }
        var editionID: String
        var period: Period
        var grantedMinutes: Int
        var reservedMinutes: Int
        var deliveredMinutes: Int
        var remainingMinutes: Int
    }

    struct Provider: Decodable, Sendable {
        var providerID: String
        var name: String
    }

    struct Assistant: Decodable, Sendable {
        var assistantID: String
        var skills: [String]
    }

    struct Decisions: Decodable, Sendable {
        var decisions: [Decision]
        var next: String?
    }

    struct Decision: Decodable, Sendable {
        var id: String
    }

    /// The figures of a participant's grant in hours, as people count them.
    struct Hours: Sendable {
        var period: String
        var granted: String
        var delivered: String
        var booked: String
        var left: String
    }

    struct Home: Sendable {
        var welcome: Bool
        var participant: Bool
        var hours: Hours?
        var assistant: Bool
        var provider: Bool
        var providerName: String?
        var assistants: [Assistant]
        var staff: Bool
        var mayInvite: Bool
        var mayIssueLetters: Bool
        var awaitingReview: Int?
        var providers: [Provider]
    }

    @Sendable func home(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request)
        var home = Home(
            welcome: request.uri.queryParameters["witaj"] != nil, participant: account.role == .participant, assistant: account.role == .assistant,
            provider: account.role == .provider, assistants: [], staff: [.operator, .coordinator, .auditor].contains(account.role),
            mayInvite: [.operator, .provider].contains(account.role), mayIssueLetters: [.operator, .coordinator].contains(account.role),
            providers: [])
        switch account.role {
        case .participant:
            let answer = try await services.send(.GET, .ordering, "/participants/\(account.participantID ?? "")/allowance", as: account)
            if answer.status == .ok {
                let allowance = try JSONDecoder().decode(Allowance.self, from: answer.body)
                home.hours = Hours(
                    period: "od \(PolishText.day(allowance.period.start)) do \(PolishText.day(allowance.period.end))",
                    granted: PolishText.hours(allowance.grantedMinutes), delivered: PolishText.hours(allowance.deliveredMinutes),
                    booked: PolishText.hours(allowance.reservedMinutes), left: PolishText.hours(allowance.remainingMinutes))
            } else if answer.status != .notFound {
                throw ServiceCallFailure.answered(.ordering, answer.status.code)
            }
        case .assistant, .provider:
            let providers = try await services.get([Provider].self, from: .ordering, "/providers", as: account)
            home.providerName = providers.first { $0.providerID == account.providerID }?.name
            if account.role == .provider {
                home.assistants = try await services.get(
                    [Assistant].self, from: .ordering, "/providers/\(account.providerID ?? "")/assistants", as: account)
            }
        case .operator:
            let page = try await services.get(Decisions.self, from: .eligibility, "/decisions?awaitingReview=true&limit=1000", as: account)
            home.awaitingReview = page.decisions.count
            home.providers = try await services.get([Provider].self, from: .ordering, "/providers", as: account)
        case .coordinator, .auditor:
            home.providers = try await services.get([Provider].self, from: .ordering, "/providers", as: account)
        }
        return pages.render("home", title: "Strona główna", context: context, content: home, path: "/start")
    }
}
