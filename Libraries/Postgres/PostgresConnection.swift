import CLibPQ
import Dispatch
import FoundationEssentials
import Glibc
import Logging
import Synchronization

/// One server session: owns exactly one `PGconn*` (PQfinish in deinit).
///
/// libpq is blocking, and a blocked thread in Swift's cooperative pool stalls unrelated tasks,
/// so every libpq call runs on this connection's own serial `DispatchQueue`. The serial queue
/// also gives libpq the one-thread-at-a-time use it needs. The pool runs a borrower's closure
/// with that queue as its preferred executor (`executor`), so its statements run there in
/// place; a caller elsewhere (an actor) is bridged over with a continuation per call.
///
/// Only use a connection inside `PostgresPool.withConnection` / `withTransaction`: the pool
/// decides when it is healthy, reused or closed.
public final class PostgresConnection: Sendable {
    /// Touched only on `queue`, by the pool between borrowers (calls that never block), and
    /// in deinit, when nobody else can.
    nonisolated(unsafe) let handle: OpaquePointer
    /// `PGcancel*`, usable from any thread by design of libpq.
    nonisolated(unsafe) private let cancelHandle: OpaquePointer?
    let queue: DispatchQueue
    /// Runs a borrower's tasks on `queue`, where statements need no hop.
    let executor: QueueExecutor
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// Server-side prepared statements, keyed by SQL text and parameter types.
        var statements: [String: String] = [:]
        var closed = false
        /// Bumped per libpq call, so a late cancel request cannot hit the next borrower's query.
        var generation: UInt64 = 0
        var running: UInt64?
        /// A call cancelled before it reached the queue: it must not start at all.
        var cancelledBeforeStart: UInt64?
        /// What waits for the open `withTransaction` to commit; nil outside one.
        var afterCommit: [@Sendable () -> Void]?
        /// A transaction's BEGIN, not sent yet: it travels with the first statement.
        var pendingBegin: String?
    }

    /// Statements beyond this many are run unprepared, bounding server memory per session.
    private static let maxPreparedStatements = 256

    private init(handle: OpaquePointer, queue: DispatchQueue, logger: Logger) {
        self.handle = handle
        self.queue = queue
        self.executor = QueueExecutor(queue: queue)
        self.logger = logger
        self.cancelHandle = PQgetCancel(handle)
        queue.setSpecific(key: Self.ownQueue, value: ObjectIdentifier(self))
        // libpq prints NOTICEs to stderr by default; they are noise for a service.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        if !state.withLock({ $0.closed }) { PQfinish(handle) }
    }

    /// Opens a session; the blocking handshake runs on the new connection's own queue.
    static func connect(configuration: PostgresConfiguration, logger: Logger) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "asysta.postgres.connection")
        let box: UnsafeHandle = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let params = configuration.libpqParameters
                let keywords = params.map { strdup($0.0) } + [nil]
                let values = params.map { strdup($0.1) } + [nil]
                defer {
                    for keyword in keywords { free(keyword) }
                    for value in values { free(value) }
                }
                let conn = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
                    values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                        PQconnectdbParams(k.baseAddress, v.baseAddress, 0)
                    }
                }
                guard let conn else {
                    continuation.resume(throwing: PostgresError(kind: .connection, message: "out of memory"))
                    return
                }
                guard PQstatus(conn) == CONNECTION_OK else {
                    let message = libpqMessage(PQerrorMessage(conn))
                    PQfinish(conn)
                    continuation.resume(throwing: PostgresError(kind: .connection, message: message))
                    return
                }
                continuation.resume(returning: UnsafeHandle(pointer: conn))
            }
        }
        var logger = logger
        logger[metadataKey: "db.connection"] = "\(PQbackendPID(box.pointer))"
        return PostgresConnection(handle: box.pointer, queue: queue, logger: logger)
    }

    // MARK: - Public API

    /// Runs a statement; returns the number of rows affected (or returned, for SELECT).
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await perform { try self.run(query).affected }
    }

    /// Runs a statement and materializes all rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await perform { try self.run(query).answer }
    }

    /// Runs the statements in one round trip: sent together, answered together, in
    /// order. For statements that do not depend on each other's answers (a lock and
    /// what it guards, reads); the first failure is thrown, and the statements after
    /// it do not run.
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await perform {
            try self.runPipeline(queries).map(\.answer)
        }
    }

    /// Runs several `;`-separated statements in one round trip (simple query protocol).
    /// Meant for migrations: it takes no parameters, so never build its text from input.
    public func executeScript(_ sql: String) async throws {
        try await perform {
            try self.checkOpen()
            let result = PQexec(self.handle, (self.takePendingBegin().map { $0 + ";\n" } ?? "") + sql)
            _ = try self.consume(result)
        }
    }

    /// Runs `action` once the transaction this connection is in (`withTransaction`)
    /// commits, and never if it rolls back; outside a transaction, at once. For
    /// what must not be seen before the data is (waking a reader of a table).
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            guard state.afterCommit != nil else { return true }
            state.afterCommit!.append(action)
            return false
        }
        if now { action() }
    }

    /// Starts or ends collecting `afterCommit` actions; ending returns them.
    func collectAfterCommit(_ collecting: Bool) -> [@Sendable () -> Void] {
        state.withLock { state in
            defer { state.afterCommit = collecting ? [] : nil }
            return state.afterCommit ?? []
        }
    }

    // MARK: - Pool support

    // The two checks below run on the pool's thread between borrowers, when nothing else
    // uses the connection: they never block (libpq keeps its socket non-blocking and only
    // waits when asked for an answer), so they need no hop to `queue`.

    /// Cheap liveness check: reads whatever the server sent while we were idle
    /// (e.g. "terminating connection due to administrator command") and reports whether the
    /// socket is still usable and outside any transaction.
    func isHealthy() -> Bool {
        guard !isClosed, PQstatus(handle) == CONNECTION_OK else { return false }
        // Twice: the first read may return the server's goodbye message, the second its EOF.
        guard PQconsumeInput(handle) == 1, PQconsumeInput(handle) == 1 else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Whether the session is in a transaction block that its user forgot to end.
    func transactionStatus() -> PGTransactionStatusType {
        isClosed ? PQTRANS_UNKNOWN : PQtransactionStatus(handle)
    }

    /// Ends the session now (instead of whenever the last reference goes).
    func close() async {
        _ = try? await perform {
            let wasClosed = self.state.withLock { state in
                defer { state.closed = true }
                return state.closed
            }
            if !wasClosed { PQfinish(self.handle) }
        }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    // MARK: - Bridging

    /// Runs blocking libpq work on this connection's queue: in place when the caller is
    /// already there, else bridged with a continuation. Task cancellation sends a cancel
    /// request to the server, so a long query ends with 57014 instead of running on.
    func perform<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let generation = state.withLock { state in
            state.generation &+= 1
            return state.generation
        }
        return try await withTaskCancellationHandler {
            // Cancelled already (say, while the pool opened this connection): never start it.
            // A cancel request sent now could reach the server before the query and be lost.
            if Task.isCancelled { throw Self.cancelled }
            if DispatchQueue.getSpecific(key: Self.ownQueue) == ObjectIdentifier(self) {
                return try runCancellable(work, generation: generation)
            }
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async { continuation.resume(with: Result { try self.runCancellable(work, generation: generation) }) }
            }
        } onCancel: {
            // PQcancel opens a new socket to the server: keep it off the caller's thread.
            DispatchQueue.global().async { self.sendCancel(ifRunning: generation) }
        }
    }

    /// Runs one call on `queue`, marked running so a cancel request can reach it.
    private func runCancellable<T>(_ work: () throws -> T, generation: UInt64) throws -> T {
        let cancelled = state.withLock { state -> Bool in
            guard state.cancelledBeforeStart != generation else { return true }
            state.running = generation
            return false
        }
        if cancelled { throw Self.cancelled }
        defer { state.withLock { $0.running = nil } }
        return try work()
    }

    /// Marks each connection's queue with the connection, so `perform` knows it is there.
    private static let ownQueue = DispatchSpecificKey<ObjectIdentifier>()

    /// What a cancelled call throws, as the server says it when it cancels a running statement.
    private static let cancelled = PostgresError(kind: .query, sqlState: "57014", message: "canceling statement due to user request")

    /// Cancels the call if it is running; if it has not started yet, it never will.
    private func sendCancel(ifRunning generation: UInt64) {
        let running = state.withLock { state -> Bool in
            if state.running == generation { return true }
            if state.generation == generation { state.cancelledBeforeStart = generation }
            return false
        }
        guard let cancelHandle, running else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
        // A cancel that reaches the server before the statement does is ignored there (the
        // thread that marked it running may not have sent it yet): again until the call ends.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { self.sendCancel(ifRunning: generation) }
    }

    func checkOpen() throws {
        if isClosed { throw PostgresError(kind: .connection, message: "connection is closed") }
        if PQstatus(handle) != CONNECTION_OK {
            throw PostgresError(kind: .connection, message: "connection is broken")
        }
    }

    // MARK: - Running statements (on `queue` only)

    struct Outcome: Sendable {
        var rows: PostgresRows.Storage?
        var affected: Int

        /// The rows, none for a statement that returns none.
        var answer: PostgresRows { PostgresRows(storage: rows ?? .init(columns: [], values: [], rowCount: 0)) }
    }

    /// Sends one statement with the extended protocol. Statements with parameters are prepared
    /// once per connection and then only bound and executed, which saves the server re-planning.
    func run(_ query: PostgresQuery) throws -> Outcome {
        try checkOpen()
        if state.withLock({ $0.pendingBegin != nil }) { return try runPipeline([query])[0] }
        let bound = try Bound(query)
        defer { bound.release() }
        guard !query.binds.isEmpty, let name = try preparedName(for: query.sql, types: bound.types) else {
            return try consume(PQexecParams(handle, query.sql, bound.count, bound.types, bound.pointers, bound.lengths, bound.formats, 0))
        }
        return try forgettingStaleStatements {
            try consume(PQexecPrepared(handle, name, bound.count, bound.pointers, bound.lengths, bound.formats, 0))
        }
    }

    /// Sends the statements together and reads their answers together (libpq's pipeline
    /// mode), in order; the first failure is thrown once every answer is read, and the
    /// statements after it did not run.
    func runPipeline(_ statements: [PostgresQuery]) throws -> [Outcome] {
        try checkOpen()
        let bound = try statements.map(Bound.init)
        defer { for statement in bound { statement.release() } }
        // Preparing is a round trip of its own, once per statement and connection: done before.
        var names = try zip(statements, bound).map { query, statement in
            query.binds.isEmpty ? nil : try preparedName(for: query.sql, types: statement.types)
        }
        // Taken only now: a value refused or a statement that fails to prepare leaves the
        // BEGIN pending, so a caller that goes on after the error is still in its transaction.
        var queries = statements
        var parameters = bound
        if let begin = takePendingBegin() {
            queries.insert(PostgresQuery(unsafeSQL: begin), at: 0)
            parameters.insert(try Bound(queries[0]), at: 0)
            names.insert(nil, at: 0)
        }
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        defer { PQexitPipelineMode(handle) }
        for ((query, statement), name) in zip(zip(queries, parameters), names) {
            let sent =
                if let name {
                    PQsendQueryPrepared(handle, name, statement.count, statement.pointers, statement.lengths, statement.formats, 0)
                } else {
                    PQsendQueryParams(
                        handle, query.sql, statement.count, statement.types, statement.pointers, statement.lengths, statement.formats, 0)
                }
            guard sent == 1 else { throw connectionError() }
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError() }
        var outcomes: [Result<Outcome, any Error>] = []
        for _ in queries {
            outcomes.append(Result { try consume(PQgetResult(handle)) })
            // Each statement's answer ends with a NULL.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        guard let sync = PQgetResult(handle) else { throw connectionError() }
        PQclear(sync)
        // An aborted statement says only that an earlier one failed: that one is thrown.
        return try forgettingStaleStatements { try outcomes.map { try $0.get() } }.suffix(statements.count)
    }

    /// Defers a transaction's BEGIN until its first statement, which carries it (one
    /// round trip less per transaction); a transaction that sends nothing sends no BEGIN.
    func deferBegin(_ sql: String) {
        state.withLock { $0.pendingBegin = sql }
    }

    /// The deferred BEGIN, no longer pending; nil once it went out.
    func takePendingBegin() -> String? {
        state.withLock { state in
            defer { state.pendingBegin = nil }
            return state.pendingBegin
        }
    }

    /// Sends a deferred BEGIN on its own, for what cannot carry it (COPY).
    func sendPendingBegin() throws {
        guard let begin = takePendingBegin() else { return }
        _ = try consume(PQexec(handle, begin))
    }

    /// Forgets the prepared statements when the server says one is gone (DISCARD/DEALLOCATE)
    /// or its result type changed (ALTER TABLE), so the next call prepares afresh.
    private func forgettingStaleStatements<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == "26000" || error.sqlState == "0A000" {
            state.withLock { $0.statements = [:] }
            throw error
        }
    }

    /// A statement's parameters as libpq takes them, copied until `release()`.
    private struct Bound {
        let types: [Oid]
        let values: [UnsafeMutablePointer<CChar>?]
        let lengths: [Int32]
        let formats: [Int32]
        var count: Int32 { Int32(types.count) }
        var pointers: [UnsafePointer<CChar>?] { values.map { UnsafePointer($0) } }

        init(_ query: PostgresQuery) throws {
            // Values travel as C strings, which end at the first NUL: such a value would be
            // stored cut short (two ids could become one), so refuse it as the server would.
            if query.binds.contains(where: { $0.value.map(containsNUL) == true }) {
                throw PostgresError(
                    kind: .query, sqlState: "22021", message: "a parameter contains a NUL character, which PostgreSQL text cannot hold")
            }
            types = query.binds.map { PostgresTypeOID.oid(for: $0.typeName) }
            // Text values are C strings; binary ones (byte buffers) go with their length and format 1.
            values = query.binds.map { bind in
                guard let binary = bind.binary else { return bind.value.map { strdup($0) } ?? nil }
                let copy = malloc(max(1, binary.count))!
                binary.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: binary.count) }
                return copy.assumingMemoryBound(to: CChar.self)
            }
            lengths = query.binds.map { Int32($0.binary?.count ?? 0) }
            formats = query.binds.map { Int32($0.binary == nil ? 0 : 1) }
        }

        func release() {
            for value in values { free(value) }
        }
    }

    /// Name of the server-side prepared statement for this SQL, preparing it on first use;
    /// nil when the cache is full.
    private func preparedName(for sql: String, types: [Oid]) throws -> String? {
        let key = sql + "\u{0}" + types.map(String.init).joined(separator: ",")
        let (existing, size) = state.withLock { ($0.statements[key], $0.statements.count) }
        if let existing { return existing }
        guard size < Self.maxPreparedStatements else { return nil }
        let name = "asysta_\(size + 1)"
        _ = try consume(PQprepare(handle, name, sql, Int32(types.count), types))
        state.withLock { $0.statements[key] = name }
        return name
    }

    /// Turns a PGresult into rows or an error, and frees it.
    func consume(_ result: OpaquePointer?) throws -> Outcome {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK:
            return Outcome(rows: nil, affected: Int(String(cString: PQcmdTuples(result))) ?? 0)
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return Outcome(rows: Self.rows(of: result), affected: Int(PQntuples(result)))
        case PGRES_EMPTY_QUERY:
            return Outcome(rows: nil, affected: 0)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // Leave the connection usable, then explain.
            if PQresultStatus(result) == PGRES_COPY_IN { PQputCopyEnd(handle, "COPY is only supported via copy(into:)") }
            while let extra = PQgetResult(handle) { PQclear(extra) }
            throw PostgresError(kind: .query, message: "COPY is only supported via copy(into:columns:rows:)")
        default:
            throw error(from: result)
        }
    }

    private static func rows(of result: OpaquePointer) -> PostgresRows.Storage {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for r in 0..<Int32(rowCount) {
            for c in 0..<Int32(columnCount) {
                values.append(PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c)))
            }
        }
        return .init(columns: columns, values: values, rowCount: rowCount)
    }

    func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let broken = PQstatus(handle) != CONNECTION_OK
        let message =
            field(UInt8(ascii: "M"))
            ?? libpqMessage(PQresultErrorMessage(result))
        return PostgresError(
            kind: broken ? .connection : .query,
            sqlState: field(UInt8(ascii: "C")),
            message: message,
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            constraint: field(UInt8(ascii: "n")),
            table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c"))
        )
    }

    func connectionError() -> PostgresError {
        let message = libpqMessage(PQerrorMessage(handle))
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : message)
    }
}

/// Runs tasks that prefer it on a connection's queue (`withTaskExecutorPreference`), so a
/// borrower's statements do not each hop to the queue and back.
final class QueueExecutor: TaskExecutor {
    let queue: DispatchQueue

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Carries a freshly opened `PGconn*` out of the queue before a `PostgresConnection` owns it.
private struct UnsafeHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Built-in type OIDs (fixed since forever, see pg_type.dat) for `postgresTypeName`.
/// Unknown names are sent as 0: the server infers the type, as for an untyped literal.
enum PostgresTypeOID {
    static func oid(for name: String?) -> Oid {
        guard let name else { return 0 }
        return table[name] ?? 0
    }

    static let table: [String: Oid] = [
        "bool": 16, "bytea": 17, "int8": 20, "int2": 21, "int4": 23, "text": 25, "float4": 700, "float8": 701,
        "uuid": 2950, "timestamptz": 1184, "timestamp": 1114, "date": 1082, "jsonb": 3802, "json": 114, "numeric": 1700,
        "bool[]": 1000, "bytea[]": 1001, "int2[]": 1005, "int4[]": 1007, "text[]": 1009, "int8[]": 1016,
        "float4[]": 1021, "float8[]": 1022, "timestamp[]": 1115, "date[]": 1182, "timestamptz[]": 1185,
        "numeric[]": 1231, "uuid[]": 2951, "jsonb[]": 3807,
    ]
}

/// memchr over the string's UTF-8: parameters run to megabytes in batch inserts.
private func containsNUL(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { buffer in buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false }
        ?? text.utf8.contains(0)
}

/// libpq's message text without the line break it ends with.
func libpqMessage(_ text: UnsafePointer<CChar>) -> String {
    var message = String(cString: text)
    while message.last?.isWhitespace == true { message.removeLast() }
    return message
}
