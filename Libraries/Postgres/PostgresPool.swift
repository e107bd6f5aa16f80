import CLibPQ
import Logging
import ServiceLifecycle
import Synchronization

/// A fixed-size pool of connections, opened lazily.
///
/// Connections are lent for a closure's duration only, so they can never escape or be used by
/// two tasks at once. A connection found broken (server restart, network) is dropped and its
/// slot reopened on demand; callers wait in FIFO order when every connection is lent.
public final class PostgresPool: Service, Sendable {
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var idle: [PostgresConnection] = []
        /// Connections that exist or are being opened (lent + idle + connecting).
        var open = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Grant, any Error>)] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    /// What a borrower receives: an idle connection, or the right to open one in a free slot.
    private enum Grant: Sendable {
        case connection(PostgresConnection)
        case openSlot
    }

    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.poolSize > 0, "poolSize must be positive")
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Lends a connection for the closure's duration only; the connection never escapes.
    /// Broken connections are discarded and replaced; waits (async, FIFO) when all are lent.
    /// The closure is not retried: on a retriable error it is up to the caller (or
    /// `withTransaction`) to run it again.
    @discardableResult
    public func withConnection<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await checkout()
        let result: T
        do {
            // On the connection's own thread, where its statements run without a hop each.
            result = try await withTaskExecutorPreference(connection.executor, isolation: isolation) { try await body(connection) }
        } catch {
            await checkin(connection)
            throw error
        }
        await checkin(connection)
        return result
    }

    /// Is the server reachable now (for readiness probes): a `SELECT 1` that must answer
    /// within `timeout`. Never throws, never waits longer than the timeout.
    public func ping(timeout: Duration = .seconds(2)) async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = OneShot(continuation)
            // The query keeps its connection until libpq returns, so it runs unstructured and
            // whichever of it and the timer finishes first answers.
            let probe = Task {
                let ok = (try? await self.withConnection { try await $0.query("SELECT 1").count == 1 }) ?? false
                answer.resume(ok)
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer.resume(false)
                probe.cancel()
            }
        }
    }

    /// Keeps the pool alive until graceful shutdown (or cancellation), then closes every
    /// connection. Connections lent at that moment are closed when they come back.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// A pool that lives for `body` and is closed when it ends, however it ends:
    /// for tools and tests that need a database for a moment, not a running service.
    public static func with<T: Sendable>(
        _ configuration: PostgresConfiguration, logger: Logger,
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let pool = PostgresPool(configuration: configuration, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Closes idle connections, fails waiting borrowers, and refuses new ones.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.closedError) }
        for connection in idle { await connection.close() }
        logger.debug("postgres pool closed")
    }

    private static let closedError = PostgresError(kind: .pool, message: "pool is closed")

    // MARK: - Lending

    private func checkout() async throws -> PostgresConnection {
        while true {
            switch try await acquire() {
            case .connection(let connection):
                if connection.isHealthy() { return connection }
                logger.info("dropping broken postgres connection")
                await connection.close()
                // We keep the slot: open a replacement in it.
                return try await openConnection()
            case .openSlot:
                return try await openConnection()
            }
        }
    }

    private func acquire() async throws -> Grant {
        enum Decision {
            case grant(Grant)
            case wait, closed
        }
        let decision: Decision = state.withLock { state in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .grant(.connection(connection)) }
            if state.open < configuration.poolSize {
                state.open += 1
                return .grant(.openSlot)
            }
            return .wait
        }
        switch decision {
        case .grant(let grant): return grant
        case .closed: throw Self.closedError
        case .wait: break
        }

        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // Re-check under the lock: a connection may have come back since we decided to wait.
                enum Now {
                    case grant(Grant)
                    case fail(any Error)
                    case queued
                }
                let now: Now = state.withLock { state in
                    if state.closed { return .fail(Self.closedError) }
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if let connection = state.idle.popLast() { return .grant(.connection(connection)) }
                    if state.open < configuration.poolSize {
                        state.open += 1
                        return .grant(.openSlot)
                    }
                    state.waiters.append((id, continuation))
                    return .queued
                }
                switch now {
                case .grant(let grant): continuation.resume(returning: grant)
                case .fail(let error): continuation.resume(throwing: error)
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Grant, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Opens a connection in a slot the caller already holds; gives the slot up on failure.
    private func openConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration, logger: logger)
        } catch {
            releaseSlot()
            logger.warning("postgres connect failed", metadata: ["error": "\(String(reflecting: error))"])
            throw error
        }
    }

    /// A slot became free (connection dropped or failed to open): hand it to the next waiter.
    private func releaseSlot() {
        let waiter = state.withLock { state -> CheckedContinuation<Grant, any Error>? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.open -= 1
            return nil
        }
        waiter?.resume(returning: .openSlot)
    }

    private func checkin(_ connection: PostgresConnection) async {
        var reusable = !connection.isClosed
        if reusable {
            switch connection.transactionStatus() {
            case PQTRANS_IDLE:
                break
            case PQTRANS_INTRANS, PQTRANS_INERROR:
                // The borrower left a transaction open; never lend it half-done to someone else.
                reusable = (try? await connection.execute("ROLLBACK")) != nil
            default:
                reusable = false
            }
        }
        guard reusable else {
            await connection.close()
            releaseSlot()
            return
        }
        enum Next {
            case waiter(CheckedContinuation<Grant, any Error>)
            case idle, close
        }
        let next: Next = state.withLock { state in
            if state.closed {
                state.open -= 1
                return .close
            }
            if !state.waiters.isEmpty { return .waiter(state.waiters.removeFirst().continuation) }
            state.idle.append(connection)
            return .idle
        }
        switch next {
        case .waiter(let continuation): continuation.resume(returning: .connection(connection))
        case .close: await connection.close()
        case .idle: break
        }
    }
}

/// Resumes a continuation at most once, whoever comes first.
private final class OneShot: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
