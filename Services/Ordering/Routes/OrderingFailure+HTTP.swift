import Hummingbird
import ServiceRuntime

extension Refusal {
    /// 409 when the calendar is taken (the request may succeed with another
    /// assistant or time); 422 when the request breaks a rule.
    var status: HTTPResponse.Status {
        switch self {
        case .assistantBooked: .conflict
        case .noGrant, .outsideGrantPeriod, .allowanceExceeded, .monthlyBudgetExceeded, .preferredAssistantUnknown, .missingSkills,
            .assistantExcluded, .assistantRelated,
            .assistantNotQualified, .qualificationExpired, .assistantUnavailable,
            .assistantDailyLimit:
            .unprocessableContent
        }
    }
}

extension OrderingFailure {
    var apiError: APIError {
        switch self {
        case let .refused(refusal): APIError(refusal.status, code: refusal.rawValue, message: refusal.message)
        case let .notFound(what): APIError.notFound(what)
        case let .conflict(code, message): APIError(.conflict, code: code, message: message)
        case let .unprocessable(code, message): APIError(.unprocessableContent, code: code, message: message)
        }
    }
}

/// Runs a repository call, turning its failures into the API's errors.
func answering<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let failure as OrderingFailure {
        throw failure.apiError
    }
}
