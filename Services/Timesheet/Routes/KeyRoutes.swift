import Domain
import FoundationEssentials
import Hummingbird
import ServiceRuntime

/// A key made for a provider; the secret leaves the service only in this answer.
struct RegisteredKey: Sendable {
    var keyID: String
    var providerID: ProviderID
    var secret: [UInt8]
    var previousKeysValidUntil: Date?
}

/// Operator route: `POST /providers/{providerID}/keys` registers a signing key (operators only).
struct KeyRoutes<Context: CallerRequestContext> {
    let store: KeyStore

    struct Body: Encodable, Sendable {
        var keyId: String
        var providerID: String
        var algorithm: String
        /// The secret, base64; `secretHex` is the same bytes for `openssl -macopt hexkey:`.
        var secret: String
        var secretHex: String
        var previousKeysValidUntil: Date?
    }

    var collection: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("providers/{providerID}/keys") { _, context in
            try context.require(.operator)
            let providerID = try ProviderID(context.parameters.require("providerID"))
            guard let key = try await store.register(providerID: providerID) else {
                throw APIError(
                    .notFound, code: "unknown-provider",
                    message:
                        "timesheet knows no provider '\(providerID.rawValue.prefix(128))': NGOs come from the editions' provider lists, through ordering"
                )
            }
            return JSONBody(
                Body(
                    keyId: key.keyID, providerID: key.providerID.rawValue, algorithm: Signature.algorithm,
                    secret: Data(key.secret).base64EncodedString(), secretHex: Signature.hex(key.secret),
                    previousKeysValidUntil: key.previousKeysValidUntil), status: .created)
        }
        return routes
    }
}
