extension APIError {
    /// 401: no token, or one that is malformed, wrongly signed, expired or names an unknown role.
    public static let unauthenticated = APIError(.unauthorized, code: "unauthenticated", message: "a valid bearer token is required")

    /// 403: a valid token whose role may not use this route.
    public static func forbidden(_ role: Role) -> APIError {
        APIError(.forbidden, code: "forbidden", message: "role \(role.rawValue) may not use this route")
    }
}
