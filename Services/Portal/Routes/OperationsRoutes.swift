import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// What keeps the five services honest, for operators alone: each one's health,
/// its consumers' lag, the events its outbox parked, and the records its consumers refused (the
/// dead letters, with their reasons and payloads), replayed from the page once
/// the cause is fixed — what `asysta-admin dead-letters` does, over each
/// service's `/admin` API with the operator's own token.
struct OperationsRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("operacje", use: show)
        routes.post("operacje/ponownie", use: replay)
        return routes
    }

    struct Letter: Sendable {
        var id: Int64
        var checkbox: String
        var when: String
        var topic: String
        var reason: String
        var key: String
        var payload: String
    }

    struct ServiceRow: Sendable {
        var name: String
        var service: String
        var health: String
        var healthy: Bool
        var parked: Int
        var lags: [String]
        var hasLags: Bool
        var letters: [Letter]
        var hasLetters: Bool
    }

    private struct Health: Decodable {
        var postgres: String?
        var kafka: String?
    }

    private struct Parked: Decodable {
        struct Event: Decodable {}
        var events: [Event]
    }

    private struct Lags: Decodable {
        struct Lag: Decodable {
            var group: String
            var topic: String
            var end: Int64
            var lag: Int64
        }
        var consumers: [Lag]
    }

    private struct Waiting: Decodable {
        struct DeadLetter: Decodable {
            var id: Int64
            var topic: String
            var key: String
            var reason: String
            var message: String
            var payload: String
            var deadLetteredAt: Date
        }
        var deadLetters: [DeadLetter]
    }

    @Sendable func show(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let notice = Int(request.uri.queryParameters["wyslano"] ?? "").map {
            "Wysłano ponownie: \($0). Jeśli przyczyna nie została usunięta, rekord wróci na listę z nowym powodem."
        }
        return try await page(context, account: account, notice: notice)
    }

    private func page(
        _ context: PortalRequestContext, account: Account, notice: String? = nil, errors: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rows = try await withThrowingTaskGroup(of: (Int, ServiceRow).self) { group in
            for (index, backend) in Backend.allCases.enumerated() {
                group.addTask { (index, try await row(backend, as: account)) }
            }
            return try await group.reduce(into: [ServiceRow?](repeating: nil, count: Backend.allCases.count)) { $0[$1.0] = $1.1 }.compactMap { $0 }
        }
        return pages.render(
            "operations", title: "Operacje", context: context, content: ["services": rows], errors: errors, notice: notice, status: status,
            path: "/operacje")
    }

    /// One service as the page shows it; one that does not answer is shown as down, not as an error page.
    private func row(_ backend: Backend, as account: Account) async throws -> ServiceRow {
        var row = ServiceRow(
            name: Self.label(backend), service: backend.rawValue, health: "nie odpowiada", healthy: false, parked: 0, lags: [], hasLags: false,
            letters: [], hasLetters: false)
        guard let ready = try? await services.send(.GET, backend, "/health/ready", as: account) else { return row }
        let health = try? JSONDecoder().decode(Health.self, from: ready.body)
        row.healthy = ready.status == .ok
        row.health =
            row.healthy
            ? "działa"
            : "nie jest gotowa (baza danych: \(health?.postgres == "up" ? "działa" : "nie działa"), broker: \(health?.kafka == "up" ? "działa" : "nie działa"))"
        row.parked = (try? await services.get(Parked.self, from: backend, "/admin/outbox/parked", as: account).events.count) ?? 0
        let lags = try? await services.get(Lags.self, from: backend, "/admin/consumers", as: account)
        // A committed offset past the end the broker reports (seen with the local broker) is nothing left to do.
        row.lags = (lags?.consumers ?? []).map { lag in
            "\(lag.topic) (grupa \(lag.group)): " + (lag.lag <= 0 ? "wszystko przetworzone" : "do przetworzenia \(lag.lag) z \(lag.end)")
        }
        row.hasLags = !row.lags.isEmpty
        let waiting = try? await services.get(Waiting.self, from: backend, "/admin/dead-letters", as: account)
        row.letters = (waiting?.deadLetters ?? []).map { letter in
            Letter(
                id: letter.id, checkbox: "\(backend.rawValue)-\(letter.id)",
                when: "\(PolishText.date(letter.deadLetteredAt)), \(PolishText.time(letter.deadLetteredAt))",
                topic: letter.topic, reason: "\(letter.reason): \(letter.message)", key: letter.key.isEmpty ? "—" : letter.key,
                payload: letter.payload)
        }
        row.hasLetters = !row.letters.isEmpty
        return row
    }

    static func label(_ backend: Backend) -> String {
        switch backend {
        case .intake: "Przyjmowanie wniosków (intake)"
        case .eligibility: "Decyzje (eligibility)"
        case .ordering: "Zamówienia (ordering)"
        case .timesheet: "Rozliczanie wizyt (timesheet)"
        case .reporting: "Sprawozdania (reporting)"
        }
    }

    /// Replays the ticked dead letters of one service.
    @Sendable func replay(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator)
        let form = context.form
        guard let backend = Backend(rawValue: form["usluga"]) else { throw PortalDenial.notFound }
        let prefix = backend.rawValue + "-"
        let ids = form.values.filter { $0.key.hasPrefix(prefix) && $0.value == "tak" }.compactMap { Int64($0.key.dropFirst(prefix.count)) }.sorted()
        guard !ids.isEmpty else {
            return try await page(
                context, account: account,
                errors: [FieldError(field: "zaznacz-\(backend.rawValue)", message: "Zaznacz rekordy do ponownego wysłania.")],
                status: .unprocessableContent)
        }
        struct Replay: Encodable {
            var ids: [Int64]
        }
        let answer = try await services.send(
            .POST, backend, "/admin/dead-letters/replay", json: try JSONEncoder().encode(Replay(ids: ids)), as: account)
        guard answer.status == .ok, let replayed = try? JSONDecoder().decode([String: Int].self, from: answer.body)["replayed"] else {
            throw ServiceCallFailure.answered(backend, answer.status.code)
        }
        return .redirect(to: "/operacje?wyslano=\(replayed)", type: .normal)
    }
}
