import Crypto
import Foundation
import ServiceRuntime
import _CryptoExtras

/// Hashes passwords with scrypt (OWASP's first choice after Argon2id, which
/// swift-crypto lacks): N = 2^17, r = 8, p = 1, 128 MiB and a few hundred
/// milliseconds per hash, so a stolen table costs an attacker the same per guess.
/// The parameters travel in the stored text, so raising them later only
/// affects new hashes. At most `concurrency` hashes run at once: a burst of
/// sign-ins queues instead of taking all memory.
actor PasswordHasher {
    struct Parameters: Sendable, Equatable {
        var log2N: Int
        var r: Int
        var p: Int

        static let standard = Parameters(log2N: 17, r: 8, p: 1)
    }

    private let parameters: Parameters
    private let concurrency: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parameters: Parameters = .standard, concurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.parameters = parameters
        self.concurrency = concurrency
    }

    /// `scrypt$log2N$r$p$salt$key`, salt and key in base64url.
    func hash(_ password: String) async throws -> String {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let key = try await derive(password, salt: salt, parameters)
        return ["scrypt", "\(parameters.log2N)", "\(parameters.r)", "\(parameters.p)", salt.base64URL, key.base64URL].joined(separator: "$")
    }

    /// Whether `password` matches `stored`, compared in constant time.
    func verify(_ password: String, against stored: String) async -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let log2N = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
            let salt = Data(base64URL: parts[4]), let expected = Data(base64URL: parts[5]),
            let key = try? await derive(password, salt: salt, Parameters(log2N: log2N, r: r, p: p))
        else { return false }
        return Secrets.equal(key, expected)
    }

    /// Spends the same time as a real check, for a name that has no account, so
    /// the answer's timing does not tell whether the name exists.
    func verifyNothing(_ password: String) async {
        _ = try? await derive(password, salt: Data(count: 16), parameters)
    }

    private func derive(_ password: String, salt: Data, _ parameters: Parameters) async throws -> Data {
        await acquire()
        defer { release() }
        return try await Task.detached(priority: .userInitiated) {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << parameters.log2N, blockSize: parameters.r,
                parallelism: parameters.p)
            return key.withUnsafeBytes { Data($0) }
        }.value
    }

    private func acquire() async {
        if running < concurrency {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}
