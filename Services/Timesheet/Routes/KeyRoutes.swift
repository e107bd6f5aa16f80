import Domain
import Foundation
import Hummingbird
import ServiceRuntime

/// A key made for a provider; the secret leaves the service only in this answer.
struct RegisteredKey: Sendable {
    var keyID: String
    var providerID: ProviderID
    var secret: [UInt8]
    var previousKeysValidUntil: Date?
}

protocol SigningKeyRepository: Sendable {
    /// Makes a new key for the provider; its earlier keys stay valid for the grace period.
    func register(providerID: ProviderID) async throws -> RegisteredKey
    func keys(_ ids: [String]) async throws -> [String: SigningKey]
}

/// Operator route: `POST /providers/{providerID}/keys` registers a signing key (operators only).
struct KeyRoutes<Repository: SigningKeyRepository> {
    let repository: Repository

    struct Body: Encodable, Sendable {
        var keyId: String
        var providerID: String
        var algorithm: String
        /// The secret, base64; `secretHex` is the same bytes for `openssl -macopt hexkey:`.
        var secret: String
        var secretHex: String
        var previousKeysValidUntil: Date?
    }

    func addRoutes(to group: RouterGroup<some CallerRequestContext>) {
        group.post("providers/:providerID/keys") { _, context in
            try context.require(.operator)
            let providerID = try ProviderID(context.parameters.require("providerID"))
            let key = try await repository.register(providerID: providerID)
            return JSONBody(Body(keyId: key.keyID, providerID: key.providerID.rawValue, algorithm: Signature.algorithm,
                                 secret: Data(key.secret).base64EncodedString(), secretHex: Signature.hex(key.secret),
                                 previousKeysValidUntil: key.previousKeysValidUntil), status: .created)
        }
    }
}
