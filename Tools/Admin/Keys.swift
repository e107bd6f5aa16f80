import ArgumentParser
import Foundation
import ServiceRuntime

/// A new Ed25519 pair: the private JWK for the signer alone, the public key
/// added to the JWKS every service trusts (a rotation keeps the old one there
/// until the tokens it signed have expired).
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The key pairs that sign the bearer tokens.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new signing key pair: the private JWK (mode 600) and the JWKS the services trust.")
        @Option(help: "The key's id, carried in every token it signs.") var kid: String
        @Option(help: "Where the private JWK goes; it must not exist yet.") var privateKey: String
        @Option(help: "The JWKS file the services read (auth.jwks_file); the public key is added to the keys already in it.") var jwks: String

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: privateKey) else {
                throw ValidationError("\(privateKey) exists: keys are never overwritten")
            }
            let key = TokenSigningKey.generate(kid: kid)
            var publicKeys: [String] = []
            if let existing = FileManager.default.contents(atPath: jwks) {
                publicKeys = try TrustedTokenKeys.publicJWKs(in: String(decoding: existing, as: UTF8.self))
            }
            guard FileManager.default.createFile(atPath: privateKey, contents: Data(key.privateJWK.utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw ValidationError("cannot write \(privateKey)")
            }
            try Data(TrustedTokenKeys.jwks(publicKeys + [key.publicJWK]).utf8).write(to: URL(fileURLWithPath: jwks))
            print("kid \(kid): private key in \(privateKey), public key added to \(jwks)")
        }
    }
}
