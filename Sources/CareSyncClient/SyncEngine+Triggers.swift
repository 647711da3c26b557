/// Why the run loop starts a pass.
enum SyncTrigger: Sendable {
    case started
    case periodic
    case requested
    case connectivityRestored
}

extension SyncEngine {
    /// Runs sync passes until the calling task is cancelled: one at once, then
    /// one every `interval` and one per ``syncNow()`` or
    /// ``connectivityRestored()`` (requests that arrive during a pass are
    /// merged into one more pass). Returns when cancelled; a pass under way
    /// stops at its next step. Shaped like a swift-service-lifecycle `Service`:
    /// call it once, from the app's long-lived task or service group (its
    /// trigger stream ends with it). The periodic wait uses the engine's injected
    /// `sleep`: a sleep that returns at once makes the loop sync back to back.
    public func run(every interval: Duration) async {
        let sleep = self.sleep
        let continuation = triggerContinuation
        continuation.yield(.started)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    do {
                        try await sleep(interval)
                    } catch {
                        return
                    }
                    continuation.yield(.periodic)
                }
            }
            for await _ in triggers {
                if Task.isCancelled { break }
                await sync()
            }
            group.cancelAll()
        }
    }

    /// Asks the run loop for a pass now (the user pulled to refresh, a record was saved).
    public nonisolated func syncNow() {
        triggerContinuation.yield(.requested)
    }

    /// Tells the run loop the network is back: a pass starts at once instead
    /// of at the next periodic tick.
    public nonisolated func connectivityRestored() {
        triggerContinuation.yield(.connectivityRestored)
    }
}
