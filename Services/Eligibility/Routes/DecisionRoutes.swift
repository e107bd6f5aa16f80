import Domain
import FoundationEssentials
import Hummingbird
import ServiceRuntime

/// `/decisions` and `/grants`: what operators list, confirm, override and revoke.
/// Coordinators and auditors read decisions (ids, group, hours, reasons — no
/// personal data); only operators act, named in the audit trail by their token's subject.
struct DecisionRoutes<Context: CallerRequestContext>: Sendable {
    let store: DecisionStore
    let today: @Sendable () -> CalendarDate
    /// The most decisions one bulk confirmation may name.
    var bulkLimit = 10_000

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("decisions", use: list)
        routes.get("decisions/{id}", use: show)
        routes.get("decisions/{id}/audit", use: audit)
        routes.post("decisions/{id}/confirmation", use: confirmOne)
        routes.post("decisions/{id}/override", use: override)
        routes.post("decisions/confirmations", use: confirmMany)
        routes.post("grants/{id}/revocation", use: revoke)
        return routes
    }

    // MARK: - Reading

    struct DecisionList: Codable, Sendable {
        var decisions: [DecisionRecord]
        /// Pass as `after` for the next page; absent on the last page.
        var next: String?
        /// How many decisions the filter selects on every page.
        var total: Int
    }

    @Sendable func list(request: Request, context: Context) async throws -> JSONBody<DecisionList> {
        try context.require(.operator, .coordinator, .auditor)
        let query = request.uri.queryParameters
        var filter = DecisionFilter()
        if let value = query["awaitingReview"] {
            guard let flag = Bool(String(value)) else { throw APIError.invalid([.init(field: "awaitingReview", message: "must be true or false")]) }
            filter.awaitingReview = flag
        }
        filter.applicationID = query["applicationID"].map { ApplicationID(String($0)) }
        filter.editionID = query["edition"].map { EditionID(String($0)) }
        if let value = query["outcome"] {
            guard let outcome = DecisionOutcome(rawValue: String(value)) else {
                throw APIError.invalid([.init(field: "outcome", message: "must be granted, rejected or waiting-for-documents")])
            }
            filter.outcome = outcome
        }
        if let value = query["group"] {
            guard let group = ParticipantGroup.Category(rawValue: String(value)) else {
                throw APIError.invalid([.init(field: "group", message: "must be child, adult-significant or adult-moderate")])
            }
            filter.group = group
        }
        filter.after = query["after"].map { DecisionID(String($0)) }
        if let value = query["limit"] {
            guard let limit = Int(String(value)), (1...1000).contains(limit) else {
                throw APIError.invalid([.init(field: "limit", message: "must be between 1 and 1000")])
            }
            filter.limit = limit
        }
        let (decisions, total) = try await store.decisions(filter)
        return JSONBody(
            DecisionList(decisions: decisions, next: decisions.count == filter.limit ? decisions.last?.id.rawValue : nil, total: total))
    }

    @Sendable func show(request: Request, context: Context) async throws -> JSONBody<DecisionRecord> {
        try context.require(.operator, .coordinator, .auditor)
        let id = DecisionID(try context.parameters.require("id"))
        guard let decision = try await store.decision(id) else { throw APIError.notFound("the decision") }
        return JSONBody(decision)
    }

    @Sendable func audit(request: Request, context: Context) async throws -> JSONBody<[AuditEntry]> {
        try context.require(.operator, .coordinator, .auditor)
        let id = DecisionID(try context.parameters.require("id"))
        guard try await store.decision(id) != nil else { throw APIError.notFound("the decision") }
        return JSONBody(try await store.audit(of: id))
    }

    // MARK: - Operator actions

    struct ConfirmationForm: Codable, Sendable {
        var justification: String?
    }

    struct BulkConfirmationForm: Codable, Sendable {
        var decisionIDs: [DecisionID]
        var justification: String?
    }

    struct BulkConfirmation: Codable, Sendable {
        var confirmed: Int
        var granted: Int
        var rejected: Int
    }

    @Sendable func confirmOne(request: Request, context: Context) async throws -> JSONBody<DecisionRecord> {
        let operatorName = try context.require(.operator).subject
        let id = DecisionID(try context.parameters.require("id"))
        let form = try await request.decodeJSON(as: ConfirmationForm.self, context: context)
        let justification = try Justification.validate(form.justification)
        do {
            return JSONBody(try await store.confirm([id], by: operatorName, justification: justification, on: today())[0])
        } catch let error as ReviewError {
            if case .notAwaitingReview = error, try await store.decision(id) == nil { throw APIError.notFound("the decision") }
            throw error.apiError
        }
    }

    @Sendable func confirmMany(request: Request, context: Context) async throws -> JSONBody<BulkConfirmation> {
        let operatorName = try context.require(.operator).subject
        let form = try await request.decodeJSON(as: BulkConfirmationForm.self, context: context, limit: 4 * 1024 * 1024)
        let justification = try Justification.validate(form.justification)
        guard (1...bulkLimit).contains(form.decisionIDs.count) else {
            throw APIError.invalid([.init(field: "decisionIDs", message: "must name 1 to \(bulkLimit) decisions")])
        }
        do {
            let records = try await store.confirm(form.decisionIDs, by: operatorName, justification: justification, on: today())
            let granted = records.count { $0.outcome == .granted }
            return JSONBody(BulkConfirmation(confirmed: records.count, granted: granted, rejected: records.count - granted))
        } catch let error as ReviewError {
            throw error.apiError
        }
    }

    struct OverrideForm: Codable, Sendable {
        var outcome: DecisionOutcome
        var reasons: [RejectionReason]?
        var hours: Int?
        var group: ParticipantGroup?
        var period: DateRange?
        var justification: String?
    }

    @Sendable func override(request: Request, context: Context) async throws -> JSONBody<DecisionRecord> {
        let operatorName = try context.require(.operator).subject
        let id = DecisionID(try context.parameters.require("id"))
        let form = try await request.decodeJSON(as: OverrideForm.self, context: context)
        let justification = try Justification.validate(form.justification)
        let change = Override(outcome: form.outcome, reasons: form.reasons ?? [], hours: form.hours, group: form.group, period: form.period)
        do {
            return JSONBody(try await store.override(id, with: change, by: operatorName, justification: justification, on: today()))
        } catch let error as ReviewError {
            throw error.apiError
        }
    }

    @Sendable func revoke(request: Request, context: Context) async throws -> JSONBody<DecisionRecord> {
        let operatorName = try context.require(.operator).subject
        let id = GrantID(try context.parameters.require("id"))
        let form = try await request.decodeJSON(as: ConfirmationForm.self, context: context)
        let justification = try Justification.validate(form.justification)
        do {
            return JSONBody(try await store.revoke(id, by: operatorName, justification: justification, on: today()))
        } catch let error as ReviewError {
            throw error.apiError
        }
    }
}

extension ReviewError {
    var apiError: APIError {
        switch self {
        case .decisionNotFound: APIError.notFound("the decision")
        case .grantNotFound: APIError.notFound("the grant")
        case let .notAwaitingReview(ids):
            APIError(
                .conflict, code: "not-awaiting-review",
                message: "\(ids.count) of the decisions are not automatic grants or rejections awaiting review; nothing was confirmed",
                details: ["decisionIDs": ids.prefix(50).map(\.rawValue).joined(separator: ",")])
        case .grantInForce: APIError(.conflict, code: "grant-in-force", message: "the decision has a grant in force; revoke it first")
        case .grantAlreadyRevoked: APIError(.conflict, code: "grant-revoked", message: "the grant was already revoked")
        case .decisionRevoked:
            APIError(.conflict, code: "decision-revoked", message: "the decision's grant was revoked; the decision cannot be overridden")
        case let .invalid(field, message): APIError.invalid([.init(field: field, message: message)])
        }
    }
}
