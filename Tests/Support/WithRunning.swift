import Logging
import ServiceLifecycle

/// Runs `services` in one service group for the duration of `body`, then shuts
/// them down gracefully, also when `body` throws, so a failing test never leaves
/// a consumer in its group or a producer unflushed for the next one.
public func withRunning<T: Sendable>(_ services: [any Service], logger: Logger, _ body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(services: services, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        defer { tasks.cancelAll() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
