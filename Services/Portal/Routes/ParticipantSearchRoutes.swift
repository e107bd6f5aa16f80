import Domain
import EventJSON
import Foundation
import Hummingbird
import ServiceRuntime

/// MOPS finds a participant by the application's number or the participant's
/// id (never by PESEL, which no page lists) and sees their grant and hours
/// (ordering's allowance), their orders, and for operators the visits timesheet
/// counted. Operators and coordinators; an auditor finds a participant by their
/// id and reads only the allowance, which names nobody.
struct ParticipantSearchRoutes: Sendable {
    let pages: Pages
    let services: ServiceClient
    let accounts: AccountStore
    let clock: ProgrammeClock

    var collection: RouteCollection<PortalRequestContext> {
        let routes = RouteCollection(context: PortalRequestContext.self)
        routes.get("uczestnicy", use: search)
        return routes
    }

    /// Staff search by either number; an auditor, who reads no application, by the participant's id.
    static func field(auditor: Bool) -> Field {
        auditor
            ? Field("szukaj", label: "Identyfikator uczestnika", hint: "Z decyzji.", autocomplete: "off", verbatim: true)
            : Field(
                "szukaj", label: "Numer wniosku albo identyfikator uczestnika", hint: "Z karty zgłoszeniowej albo z decyzji.", autocomplete: "off",
                verbatim: true)
    }

    struct OrderRow: Sendable {
        var day: String
        var hours: String
        var activity: String
        var state: String
        var who: String
        var link: String
    }

    struct VisitRow: Sendable {
        var day: String
        var hours: String
        var minutes: String
        var month: String
    }

    struct Found: Sendable {
        var participantID: String
        var period: String?
        var granted: String?
        var delivered: String?
        var booked: String?
        var left: String?
        var monthly: MonthlyHours?
        var orders: [OrderRow]
        var noOrders: Bool
        var visits: [VisitRow]
        var noVisits: Bool
        var showsOrders: Bool
        var showsVisits: Bool
        var orderLink: String
    }

    private struct CountedEntry: Decodable {
        var start: Date
        var end: Date
        var minutes: Int
        var month: String
    }

    @Sendable func search(request: Request, context: PortalRequestContext) async throws -> Response {
        let account = try context.person(request, .operator, .coordinator, .auditor)
        let audits = account.role == .auditor
        let typed = request.queryFields["szukaj", default: ""].trimmingCharacters(in: .whitespaces)
        func page(_ found: Found?, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) -> Response {
            pages.render(
                "participants", title: "Uczestnicy", context: context, content: found.map { ["found": $0] } ?? [String: Found](),
                fields: [Self.field(auditor: audits)],
                errors: errors, values: ["szukaj": typed], status: status, path: "/uczestnicy")
        }
        guard !typed.isEmpty else { return page(nil) }
        let unknown = FieldError(field: "szukaj", message: "Nie ma wniosku ani uczestnika o takim numerze. Sprawdź go na karcie albo w decyzji.")
        guard typed.unicodeScalars.count <= 128 else { return page(nil, errors: [unknown], status: .notFound) }
        // An application's number names its participant; anything else is taken as a participant's id.
        // (An auditor reads no application: intake answers staff who handle them.)
        var applicant: String?
        if !audits {
            let application = try await services.send(.GET, .intake, "/applications/\(typed.urlComponentEncoded)", as: account)
            if application.status == .ok {
                applicant = (try? EventCodec.foundationDecoder.decode(ServiceRecords.Application.self, from: application.body))?.participantID
            }
        }
        let participantID = applicant ?? typed
        let path = "/participants/\(participantID.urlComponentEncoded)"
        let allowanceAnswer = try await services.send(.GET, .ordering, path + "/allowance", as: account)
        let allowance =
            allowanceAnswer.status == .ok ? try? EventCodec.foundationDecoder.decode(ServiceRecords.Allowance.self, from: allowanceAnswer.body) : nil
        // An id no application names and no grant holds is nobody this page can show.
        guard applicant != nil || allowance != nil else { return page(nil, errors: [unknown], status: .notFound) }
        let orders =
            allowance == nil || audits ? [] : try await services.get([ServiceRecords.Order].self, from: .ordering, path + "/orders", as: account)
        let showsVisits = account.role == .operator
        let visits =
            showsVisits && allowance != nil ? try await services.get([CountedEntry].self, from: .timesheet, path + "/entries", as: account) : []
        let providers = try await services.providerNames(as: account)
        let names = try await accounts.names(assistants: orders.compactMap(\.assistantID))
        let found = Found(
            participantID: participantID,
            period: allowance.map { "od \(PolishText.day($0.period.start)) do \(PolishText.day($0.period.end))" },
            granted: allowance.map { PolishText.hours($0.grantedMinutes) }, delivered: allowance.map { PolishText.hours($0.deliveredMinutes) },
            booked: allowance.map { PolishText.hours($0.reservedMinutes) }, left: allowance.map { PolishText.hours($0.remainingMinutes) },
            monthly: MonthlyHours(allowance?.monthly, today: clock.day()),
            orders: orders.sorted { $0.startsAt > $1.startsAt }.prefix(100).map { order in
                OrderRow(
                    day: PolishText.day(order.date), hours: "\(order.start)–\(order.end)", activity: Labels.activity(order.activity),
                    state: Labels.orderStatus(order.status, delivered: order.deliveredMinutes > 0),
                    who: order.providerID.map { provider in
                        (order.assistantID.flatMap { names[$0] } ?? "asystent") + " (" + (providers[provider] ?? provider) + ")"
                    } ?? "—", link: "/przydzielanie/\(order.orderID.urlComponentEncoded)")
            },
            noOrders: orders.isEmpty,
            visits: visits.sorted { $0.start > $1.start }.prefix(100).map { visit in
                VisitRow(
                    day: PolishText.date(visit.start), hours: PolishText.timeSpan(visit.start, visit.end), minutes: PolishText.hours(visit.minutes),
                    month: YearMonth(visit.month).map(PolishText.month) ?? visit.month)
            },
            noVisits: visits.isEmpty, showsOrders: !audits, showsVisits: showsVisits,
            orderLink: "/uczestnicy/\(participantID.urlComponentEncoded)/zamowienie")
        return page(found)
    }
}
