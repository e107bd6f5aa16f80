/// Polls until `body` returns a value: events travel asynchronously between services.
public func eventually<T>(timeout: Duration = .seconds(60), _ body: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try await body() { return value }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw TimedOut(after: timeout)
}

public struct TimedOut: Error, CustomStringConvertible {
    public var after: Duration
    public var description: String { "nothing arrived within \(after)" }
}
