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
    let accounts: AccountStore

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

    /// Something waiting for the participant: a month to confirm, a visit to rate.
    struct Waiting: Sendable {
        var text: String
        var href: String
    }

    /// An NGO's assistant: the name from their portal account, when they have one.
    struct AssistantRow: Sendable {
        var name: String
        var skills: String
    }

    struct Home: Sendable {
        var welcome: Bool
        var participant: Bool
        var hours: Hours?
        var chart: HoursChart?
        var monthly: MonthlyHours?
        var nextVisits: [NextVisit]
        var waiting: [Waiting] = []
        var hasWaiting = false
        var assistant: Bool
        var provider: Bool
        var providerName: String?
        var assistants: [AssistantRow]
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
            // The page's four reads at once: the allowance, the orders, two months' cards.
            async let allowanceCall = services.send(.GET, .ordering, "/participants/\(account.participantID ?? "")/allowance", as: account)
            async let ordersCall = services.orders(of: account)
            async let monthsCall = monthsToConfirm(of: account)
            let answer = try await allowanceCall
            if answer.status == .ok {
                let allowance = try JSONDecoder().decode(ServiceRecords.Allowance.self, from: answer.body)
                home.hours = Hours(
                    period: "od \(PolishText.day(allowance.period.start)) do \(PolishText.day(allowance.period.end))",
                    granted: PolishText.hours(allowance.grantedMinutes), delivered: PolishText.hours(allowance.deliveredMinutes),
                    booked: PolishText.hours(allowance.reservedMinutes), left: PolishText.hours(allowance.remainingMinutes))
                home.chart = HoursChart(
                    grantedMinutes: allowance.grantedMinutes, deliveredMinutes: allowance.deliveredMinutes,
                    bookedMinutes: allowance.reservedMinutes, leftMinutes: allowance.remainingMinutes)
                home.monthly = MonthlyHours(allowance.monthly, today: clock.day())
            } else if answer.status != .notFound {
                throw ServiceCallFailure.answered(.ordering, answer.status.code)
            }
            let orders = try await ordersCall
            home.nextVisits = try await nextVisits(orders, of: account)
            home.waiting = try await monthsCall + Self.visitsToRate(orders)
            home.hasWaiting = !home.waiting.isEmpty
        case .assistant, .provider:
            let providers = try await services.providers(as: account)
            home.providerName = providers.first { $0.providerID == account.providerID }?.name
            if account.role == .provider {
                let assistants = try await services.assistants(of: account.providerID ?? "", as: account)
                let names = try await accounts.names(assistants: assistants.map(\.assistantID))
                home.assistants = assistants.map { assistant in
                    AssistantRow(
                        name: names[assistant.assistantID] ?? "bez konta w Platformie (\(assistant.assistantID))",
                        skills: Labels.skills(assistant.skills))
                }.sorted { $0.name < $1.name }
            }
        case .operator:
            let page = try await services.get(
                ServiceRecords.Decisions.self, from: .eligibility, "/decisions?awaitingReview=true&limit=1", as: account)
            home.awaitingReview = page.total
            home.providers = try await services.providers(as: account)
        case .coordinator, .auditor:
            home.providers = try await services.providers(as: account)
        }
        return pages.render("home", title: "Strona główna", context: context, content: home, path: "/start")
    }

    /// The next three visits not cancelled, with who delivers them (the NGO's name; the assistant once assigned).
    private func nextVisits(_ orders: [ServiceRecords.Order], of account: Account) async throws -> [NextVisit] {
        let now = clock.now()
        let upcoming =
            orders
            .filter { $0.status != "cancelled" && (Timestamp.parse($0.endsAt) ?? now) >= now }
            .sorted { $0.startsAt < $1.startsAt }
            .prefix(3)
        guard !upcoming.isEmpty else { return [] }
        let providers = try await services.providerNames(as: account)
        let assistants = try await accounts.names(assistants: upcoming.compactMap(\.assistantID))
        return upcoming.map { order in
            NextVisit(
                day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)",
                activity: Labels.activity(order.activity),
                who: order.providerID.map {
                    Labels.deliveredBy(assistant: order.assistantID.flatMap { assistants[$0] }, provider: providers[$0] ?? $0)
                }
                    ?? "czeka na przydzielenie asystenta")
        }
    }

    /// Last month's and this month's cards, while they have visits and are not confirmed.
    private func monthsToConfirm(of account: Account) async throws -> [Waiting] {
        let now = CalendarDate(clock.now()).yearMonth
        let path = "/participants/\(account.participantID ?? "")/months/"
        async let last = services.get(ServiceRecords.Card.self, from: .timesheet, path + now.previous.description, as: account)
        async let this = services.get(ServiceRecords.Card.self, from: .timesheet, path + now.description, as: account)
        return try await [(now.previous, last), (now, this)].compactMap { month, card in
            card.confirmedAt == nil && !card.visits.isEmpty
                ? Waiting(text: "Sprawdź i potwierdź wizyty: \(PolishText.month(month))", href: "/karta?miesiac=\(month)") : nil
        }
    }

    /// The newest three delivered visits not rated yet.
    private static func visitsToRate(_ orders: [ServiceRecords.Order]) -> [Waiting] {
        orders.filter { $0.deliveredMinutes > 0 && !$0.rated }.sorted { $0.startsAt > $1.startsAt }.prefix(3).map { order in
            Waiting(text: "Oceń wizytę z dnia \(PolishText.day(order.date))", href: "/zamowienia/\(order.orderID.urlComponentEncoded)/ocena")
        }
    }
}
