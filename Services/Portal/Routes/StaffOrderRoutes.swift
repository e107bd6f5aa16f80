import Domain
import Foundation
import Hummingbird

/// MOPS orders a service for a participant (one who phoned, or has no account):
/// the participant's order form in the third person, reached from the
/// participant's page; ordering decides as for the participant's own order, and
/// the placed order opens at once with its suggestions, to be assigned.
struct StaffOrderRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let accounts: AccountStore

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("uczestnicy/{participantID}/zamowienie") { request, context in
            let account = try context.person(request, .coordinator, .operator)
            return try await form(context, account: account, participantID: try context.parameters.require("participantID"))
        }
        routes.post("uczestnicy/{participantID}/zamowienie", use: place)
        return routes
    }

    static let form = OrderForm(orderer: .staff)

    /// The form, for a participant ordering knows (a 404 for anyone else); the place starts as their latest order's.
    private func form(
        _ context: PortalRequestContext, account: Account, participantID: String, errors: [FieldError] = [],
        values: [String: String]? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let path = "/participants/\(participantID.urlComponentEncoded)/orders"
        let answer = try await services.send(.GET, .ordering, path, as: account)
        guard answer.status == .ok, let found = try? JSONDecoder().decode([ServiceRecords.Order].self, from: answer.body) else {
            throw PortalDenial.notFound
        }
        let orders = found.sorted { $0.startsAt > $1.startsAt }
        let preferred = try await Self.form.preferredAssistant(orders, accounts: accounts)
        let back = "/uczestnicy?" + FormFields.query(["szukaj": participantID])
        let page = OrderForm.Page(
            heading: "Zamów usługę dla uczestnika \(participantID)",
            intro: "Godziny wizyty zostaną zarezerwowane z godzin uczestnika. Po przyjęciu zamówienia zobaczysz podpowiedzi, kogo przydzielić.",
            action: "/uczestnicy/\(participantID.urlComponentEncoded)/zamowienie", back: back, backLabel: "Wróć do strony uczestnika",
            mayPrefer: !preferred.options.isEmpty)
        return pages.render(
            "order-new", title: "Zamów usługę dla uczestnika", context: context, content: page, fields: Self.form.fields + [preferred],
            errors: errors, values: values ?? ["miejsce": orders.first?.place ?? ""], status: status, path: "/uczestnicy")
    }

    @Sendable func place(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .coordinator, .operator)
        let participantID = try context.parameters.require("participantID")
        switch try await Self.form.place(context.form, for: participantID, as: account, services: services) {
        case .failure(let refused):
            return try await form(
                context, account: account, participantID: participantID, errors: refused.errors, values: context.form.values,
                status: .unprocessableContent)
        case .success(let order): return .redirect(to: "/przydzielanie/\(order.orderID.urlComponentEncoded)?wynik=zamowiono", type: .normal)
        }
    }
}
