import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension URLSession {
    /// The data and response for `request`, like `data(for:)`, with a
    /// cancellation that cannot deadlock.
    ///
    /// swift-corelibs-foundation's `data(for:)` cancels its task from inside
    /// the task-cancellation handler, which runs under the Swift task's status
    /// lock; `URLSessionTask.cancel()` then waits for the session's queue, on
    /// which a request that is just finishing may be resuming the same Swift
    /// task, which needs that lock: both wait forever (seen in the
    /// interruption tests, which cancel passes at random moments). Here the
    /// handler only records the cancellation and cancels the task from
    /// another thread.
    func dataCancellable(for request: URLRequest) async throws -> (Data, URLResponse) {
        let pending = PendingDataTask()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = dataTask(with: request) { data, response, error in
                    if let data, let response {
                        continuation.resume(returning: (data, response))
                    } else {
                        continuation.resume(throwing: error ?? URLError(.badServerResponse))
                    }
                }
                pending.start(task)
            }
        } onCancel: {
            pending.cancel()
        }
    }
}

/// One request's data task, shared by the request and its cancellation handler.
///
/// `@unchecked Sendable`: both stored properties are read and written only
/// while holding `lock`, and `URLSessionTask`'s own methods may be called from
/// any thread.
private final class PendingDataTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var isCancelled = false

    /// Starts `task`, and cancels it at once if the request was cancelled before.
    func start(_ task: URLSessionDataTask) {
        let cancelledBefore = lock.withLock {
            self.task = task
            return isCancelled
        }
        task.resume()
        if cancelledBefore { task.cancel() }
    }

    /// Records the cancellation and cancels the task, if started, off the
    /// calling thread (the cancellation handler's; see above).
    func cancel() {
        lock.withLock { isCancelled = true }
        DispatchQueue.global().async { self.cancelTask() }
    }

    private func cancelTask() {
        lock.withLock { task }?.cancel()
    }
}
