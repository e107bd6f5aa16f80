import FoundationEssentials

extension Array where Element: Sendable {
    /// `map` over contiguous chunks on every core, results in order. A consumer's
    /// pure work (decoding records, encoding answers) runs between its database
    /// round trips, when the other cores would otherwise sit idle. The chunks run on
    /// the global executor even for a pool's borrower, whose tasks prefer its
    /// connection's one thread (`PostgresPool.withConnection`).
    public func concurrentMap<Result: Sendable>(_ transform: @escaping @Sendable (Element) throws -> Result) async throws -> [Result] {
        let chunks = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / Self.smallestChunk)
        guard chunks > 1 else { return try map(transform) }
        let size = (count + chunks - 1) / chunks
        return try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for chunk in 0..<chunks {
                let slice = self[Swift.min(count, chunk * size)..<Swift.min(count, (chunk + 1) * size)]
                group.addTask(executorPreference: globalConcurrentExecutor) { (chunk, try slice.map(transform)) }
            }
            var parts = [[Result]](repeating: [], count: chunks)
            for try await (chunk, part) in group { parts[chunk] = part }
            return parts.flatMap { $0 }
        }
    }

    /// Below this many elements a chunk costs more to schedule than to map.
    private static var smallestChunk: Int { 128 }
}
