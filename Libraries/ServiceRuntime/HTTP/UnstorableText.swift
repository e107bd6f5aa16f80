import Hummingbird
import Postgres

/// A NUL in any text a request carries cannot be stored in PostgreSQL, which the
/// Postgres library refuses (SQLSTATE 22021) before sending: whichever field it was
/// in, that is the client's input, a `422`, not a `500`. Routes check their fields
/// first; this is the net under every one of them.
struct UnstorableTextMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PostgresError where error.sqlState == "22021" {
            throw APIError(.unprocessableContent, code: "invalid-input", message: "a text value holds a NUL character, which cannot be stored")
        }
    }
}
