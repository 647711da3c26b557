public import CareModel

/// `caresync audit replay`: the state as it stood at a log position or a
/// server time, by the model's reducer over the log up to there.
///
/// Over the whole log this is byte for byte the server's state
/// (``CareServer/SyncStorage/state(through:pageSize:)``, the same reducer over
/// the same stored operations).
public enum AuditReplay {
    /// Where a replay stops.
    public enum Point: Sendable, Hashable {
        /// After every operation.
        case end
        /// Through log position `sequence`.
        case sequence(UInt64)
        /// Every operation the server had received by `millis` (Unix ms).
        case time(Int64)
    }

    /// What a replay gives.
    public struct Result: Sendable {
        public var state: CareState
        /// Operations applied.
        public var operations: Int
        /// The last sequence applied (0 if none).
        public var lastSequence: UInt64
    }

    public static func replay(
        _ source: some AuditLogSource, at point: Point = .end, pageSize: Int = 10_000,
        progress: (Int) -> Void = { _ in }
    ) async throws -> Result {
        var result = Result(state: CareState(), operations: 0, lastSequence: 0)
        var through: UInt64?
        if case .sequence(let sequence) = point { through = sequence }
        var read = 0
        try await source.forEachEntry(through: through, pageSize: pageSize) { entry in
            read += 1
            if read % pageSize == 0 { progress(read) }
            if case .time(let millis) = point, entry.log.receivedAt > millis { return }
            try result.state.apply(try Operation(canonicalBytes: entry.log.body))
            result.operations += 1
            result.lastSequence = entry.log.sequence
        }
        progress(read)
        return result
    }
}
