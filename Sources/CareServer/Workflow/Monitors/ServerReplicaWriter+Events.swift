import Logging

extension ServerReplicaWriter {
    /// Writes `drafts` as the server itself and returns the `events` (one per
    /// draft, in order) whose operation was stored; a refusal is logged with its
    /// code, and what it concerned is found again by the next tick.
    func write(_ drafts: [OperationDraft], events: [WorkflowEvent], logger: Logger) async throws -> [WorkflowEvent] {
        guard !drafts.isEmpty else { return [] }
        let results = try await write(drafts, as: identity.worker)
        return zip(results, events).compactMap { result, event in
            guard result.status == .stored else {
                logger.error("workflow write refused", metadata: ["error.code": "\(result.error?.code ?? "unknown")"])
                return nil
            }
            return event
        }
    }
}
