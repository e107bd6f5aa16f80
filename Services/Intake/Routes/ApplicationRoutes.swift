import Domain
import Hummingbird
import ServiceRuntime

/// `/applications`: submit, read the status, add documents, withdraw. Only
/// coordinators and operators: an application is personal data through and
/// through, so auditors and NGOs have no access (403).
struct ApplicationRoutes<Context: CallerRequestContext>: Sendable {
    let store: ApplicationStore
    let validation: ApplicationValidation
    let today: @Sendable () -> CalendarDate

    /// A document travels as base64 (4 bytes per 3) inside JSON; a submission may carry four.
    var documentBodyLimit: Int { validation.documentLimit / 3 * 4 + 64 * 1024 }
    var submissionBodyLimit: Int { 4 * documentBodyLimit }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("applications", use: submit)
        routes.get("applications/{id}", use: status)
        routes.post("applications/{id}/documents", use: addDocument)
        routes.post("applications/{id}/withdrawal", use: withdraw)
        return routes
    }

    @Sendable func submit(request: Request, context: Context) async throws -> JSONBody<ApplicationStatus> {
        try context.require(.coordinator, .operator)
        let form = try await request.decodeJSON(as: ApplicationForm.self, context: context, limit: submissionBodyLimit)
        switch validation.validate(form, today: today()) {
        case let .failure(error):
            throw APIError.invalid(error.problems.map { .init(field: $0.field, message: $0.message) })
        case let .success(application):
            switch try await store.submit(application, on: today()) {
            case let .created(status):
                return JSONBody(status, status: .created)
            case let .duplicate(existing):
                throw APIError(
                    .conflict, code: "duplicate-application",
                    message: "this person has already applied in edition \(application.edition)",
                    details: ["applicationID": existing.rawValue])
            }
        }
    }

    @Sendable func status(request: Request, context: Context) async throws -> JSONBody<ApplicationStatus> {
        try context.require(.coordinator, .operator)
        let id = ApplicationID(try context.parameters.require("id"))
        guard let status = try await store.status(of: id) else { throw APIError.notFound("the application") }
        return JSONBody(status)
    }

    @Sendable func addDocument(request: Request, context: Context) async throws -> JSONBody<DocumentSummary> {
        try context.require(.coordinator, .operator)
        let id = ApplicationID(try context.parameters.require("id"))
        let form = try await request.decodeJSON(as: DocumentForm.self, context: context, limit: documentBodyLimit)
        let document: ValidDocument
        switch validation.validate(form, field: "") {
        case let .failure(problem): throw APIError.invalid([.init(field: problem.field, message: problem.message)])
        case let .success(valid): document = valid
        }
        switch try await store.addDocument(document, to: id, on: today()) {
        case let .added(summary): return JSONBody(summary, status: .created)
        case .notFound: throw APIError.notFound("the application")
        case .withdrawn:
            throw APIError(.conflict, code: "application-withdrawn", message: "the application was withdrawn; it takes no more documents")
        }
    }

    @Sendable func withdraw(request: Request, context: Context) async throws -> JSONBody<ApplicationStatus> {
        try context.require(.coordinator, .operator)
        let id = ApplicationID(try context.parameters.require("id"))
        guard let status = try await store.withdraw(id, on: today()) else { throw APIError.notFound("the application") }
        return JSONBody(status)
    }
}
