import Domain
import Hummingbird
import ServiceRuntime

/// Orders: place, read, assign (by hand or from suggestions), cancel, rate.
/// Coordinators and operators do everything; an NGO reads only the orders
/// assigned to it (another's is a 404, as if it did not exist). Auditors have
/// no access: an order holds the participant's address.
struct OrderRoutes<Context: CallerRequestContext>: Sendable {
    let store: OrderingStore

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("orders", use: place)
        routes.get("orders", use: list)
        routes.get("orders/{orderID}", use: show)
        routes.post("orders/{orderID}/assignment", use: assign)
        routes.get("orders/{orderID}/suggestions", use: suggestions)
        routes.post("orders/{orderID}/cancellation", use: cancel)
        routes.post("orders/{orderID}/rating", use: rate)
        return routes
    }

    @Sendable func place(request: Request, context: Context) async throws -> JSONBody<OrderRecord> {
        let caller = try context.require(.coordinator, .operator, .participant)
        let new = try await request.decodeJSON(as: PlaceOrderRequest.self, context: context).validated()
        // A participant orders only for themselves: another's id is as unknown as a missing one.
        guard caller.mayActFor(new.participantID) else { throw OrderingFailure.refused(.noGrant).apiError }
        return JSONBody(try await answering { try await store.placeOrder(new) }, status: .created)
    }

    /// A coordinator's week: the orders starting from `from` to `to` (at most 31 days), by status.
    @Sendable func list(request: Request, context: Context) async throws -> JSONBody<[OrderRecord]> {
        try context.require(.coordinator, .operator)
        let query = request.uri.queryParameters
        var problems: [APIError.FieldError] = []
        let from = query["from"].flatMap { CalendarDate(String($0)) }
        let to = query["to"].flatMap { CalendarDate(String($0)) }
        if from == nil { problems.append(.init(field: "from", message: "is required: a day, YYYY-MM-DD")) }
        if to == nil { problems.append(.init(field: "to", message: "is required: a day, YYYY-MM-DD")) }
        var status: OrderStatus?
        if let value = query["status"] {
            status = OrderStatus(rawValue: String(value))
            if status == nil { problems.append(.init(field: "status", message: "must be placed, assigned or cancelled")) }
        }
        if let from, let to, !(from <= to && to <= from.adding(days: 30)) {
            problems.append(.init(field: "to", message: "must be on or after from, at most 30 days later"))
        }
        guard problems.isEmpty, let from, let to else { throw APIError.invalid(problems) }
        return JSONBody(try await store.orders(from: from, to: to, status: status, limit: 1000))
    }

    @Sendable func show(request: Request, context: Context) async throws -> JSONBody<OrderRecord> {
        let caller = try context.require(.coordinator, .operator, .provider, .assistant, .participant)
        return JSONBody(try await visibleOrder(context, to: caller))
    }

    @Sendable func assign(request: Request, context: Context) async throws -> JSONBody<OrderRecord> {
        try context.require(.coordinator, .operator)
        let body = try await request.decodeJSON(as: AssignmentRequest.self, context: context)
        let id = try orderID(context)
        return JSONBody(try await answering { try await store.assign(id, providerID: body.providerID, assistantID: body.assistantID) })
    }

    @Sendable func suggestions(request: Request, context: Context) async throws -> JSONBody<[SuggestionRecord]> {
        try context.require(.coordinator, .operator)
        let id = try orderID(context)
        return JSONBody(try await answering { try await store.suggestions(for: id) })
    }

    /// A participant cancels only their own orders, and always as the participant.
    @Sendable func cancel(request: Request, context: Context) async throws -> JSONBody<OrderRecord> {
        let caller = try context.require(.coordinator, .operator, .participant)
        let body = try await request.decodeJSON(as: CancellationRequest.self, context: context)
        let id = try await visibleOrder(context, to: caller).orderID
        let by = caller.role == .participant ? .participant : body.cancelledBy
        return JSONBody(try await answering { try await store.cancel(id, by: by) })
    }

    /// A participant rates only their own visits.
    @Sendable func rate(request: Request, context: Context) async throws -> JSONBody<RatingRecord> {
        let caller = try context.require(.coordinator, .operator, .participant)
        let rating = try await request.decodeJSON(as: RatingRequest.self, context: context).validated()
        let id = try await visibleOrder(context, to: caller).orderID
        return JSONBody(try await answering { try await store.rate(id, scores: rating.scores, comment: rating.comment) }, status: .created)
    }

    /// The order of the path, if the caller may see it; otherwise the same 404 as for a missing one.
    private func visibleOrder(_ context: Context, to caller: Caller) async throws -> OrderRecord {
        guard let order = try await store.order(try orderID(context)), caller.maySee(order) else { throw APIError.notFound("the order") }
        return order
    }

    private func orderID(_ context: Context) throws -> OrderID {
        OrderID(try context.parameters.require("orderID"))
    }
}
