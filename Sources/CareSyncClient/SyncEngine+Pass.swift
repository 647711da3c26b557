public import CareModel
import CareStore

/// Why a pass stopped early.
enum PassFailure: Error {
    case transport(SyncTransportError)
    case store(CareStoreError)
    /// The server broke the protocol (e.g. a cursor that does not advance); the code names it.
    case protocolViolation(String)
    case cancelled

    /// The activity the app sees after the pass.
    var activity: SyncActivity {
        switch self {
        case .cancelled:
            return .idle
        case .store(let error):
            return .error(code: error.code.rawValue)
        case .protocolViolation(let code):
            return .error(code: code)
        case .transport(let error):
            if error.isCredentialRejection { return .credentialRejected(code: error.code) }
            switch error.kind {
            case .cancelled: return .idle
            case .unreachable, .timedOut: return .offline
            default: return .error(code: error.code)
            }
        }
    }
}

extension SyncEngine {
    /// Runs one sync pass — push everything pending and pull until no page
    /// remains, a batch and a page per round trip — and returns the status at its end.
    ///
    /// Never throws: the outcome is in the returned status (and on
    /// ``statusUpdates()``). If a pass is already running, this asks it to run
    /// once more when it ends and returns at once. After
    /// ``SyncActivity/credentialRejected(code:)`` it does nothing. When the
    /// calling task is cancelled the pass stops at the next step and the status
    /// returns to ``SyncActivity/idle``; what was done stays done.
    @discardableResult
    public func sync() async -> SyncEngineStatus {
        if case .credentialRejected = status.activity { return status }
        if isRunningPass {
            passRequested = true
            return status
        }
        isRunningPass = true
        defer { isRunningPass = false }
        repeat {
            passRequested = false
            await runPass()
            if case .credentialRejected = status.activity { break }
        } while passRequested && !Task.isCancelled
        return status
    }

    private func runPass() async {
        publish {
            $0.activity = .syncing
            $0.pull = nil
        }
        var activity = SyncActivity.idle
        do throws(PassFailure) {
            if let rejection = try await exchange() { activity = .error(code: rejection) }
        } catch {
            activity = error.activity
        }
        await refreshCounts()
        publish { $0.activity = activity }
    }

    /// Pushes the outbox and pulls pages, one batch and one page per request
    /// (`POST /v1/sync`: on a bad network every round trip counts), until
    /// nothing is pending — or the oldest pending operation is refused
    /// (counters are contiguous, so nothing behind it can be stored) — and the
    /// server says no page remains. Returns the code of the first refusal seen, if any.
    private func exchange() async throws(PassFailure) -> String? {
        var rejection: String?
        var pushing = true
        var pulling = true
        var cursor = try await storeCall { () throws(CareStoreError) in try await store.syncStatus() }.pullCursor
        let serverKey = try await storeCall { () throws(CareStoreError) in try await store.serverKey() }
        var progress = PullProgress(pages: 0, operations: 0, cursor: cursor, hasMore: true)
        let transport = self.transport
        let (batchLimit, pageLimit) = (configuration.pushBatchLimit, configuration.pullPageLimit)
        while pushing || pulling {
            if Task.isCancelled { throw .cancelled }
            var batch: UploadBatch?
            if pushing {
                batch = try await storeCall { () throws(CareStoreError) in try await store.nextUploadBatch(limit: batchLimit) }
                if let batch {
                    try await storeCall { () throws(CareStoreError) in try await store.markSent(batch) }
                } else {
                    pushing = false
                    if !pulling { break }
                }
            }
            let request = SyncRequest(push: batch?.pushRequest.signed(by: signer), after: cursor, limit: pageLimit)
            let response = try await withRetry { () throws(SyncTransportError) in try await transport.sync(request) }
            if let batch {
                guard let pushed = response.push else { throw .protocolViolation("sync_push_unanswered") }
                let checked = Self.check(pushed, of: batch, key: serverKey)
                let outcome = try await storeCall { () throws(CareStoreError) in
                    try await store.applyPushResults(checked.results, receipts: checked.receipts)
                }
                if checked.refused > 0 { publish { $0.refusedReceiptCount += checked.refused } }
                await refreshCounts()
                if rejection == nil, let refused = pushed.results.first(where: { $0.status == .rejected }) {
                    rejection = refused.error?.code ?? "rejected"
                }
                if let problem = checked.problem { rejection = rejection ?? problem }
                if outcome.acknowledged == 0 {
                    // No progress: the batch's first operation is refused (or the
                    // answer acknowledged nothing); pushing it again would loop.
                    rejection = rejection ?? "push_not_acknowledged"
                    pushing = false
                }
            }
            let page = response.pull
            let applied = try await storeCall { () throws(CareStoreError) in try await store.applyPulledPage(page) }
            progress.pages += 1
            progress.operations += page.operations.count
            progress.cursor = applied.cursor
            progress.hasMore = page.hasMore
            let snapshot = progress
            publish { $0.pull = snapshot }
            if page.hasMore, applied.cursor <= cursor { throw .protocolViolation("pull_cursor_stalled") }
            cursor = applied.cursor
            pulling = page.hasMore
        }
        return rejection
    }

    /// Makes `request`, retrying retryable failures with backoff.
    private func withRetry<Answer>(
        _ request: () async throws(SyncTransportError) -> Answer
    ) async throws(PassFailure) -> Answer {
        var attempt = 1
        while true {
            if Task.isCancelled { throw .cancelled }
            do {
                return try await request()
            } catch {
                if error.kind == .cancelled || Task.isCancelled { throw .cancelled }
                guard error.isRetryable, attempt < configuration.retry.maximumAttempts else {
                    throw .transport(error)
                }
                if error.kind == .unreachable || error.kind == .timedOut { publish { $0.activity = .offline } }
                let delay = configuration.retry.delay(beforeRetry: attempt, unit: nextUnitRandom())
                do {
                    try await sleep(delay)
                } catch {
                    throw .cancelled
                }
                publish { $0.activity = .syncing }
                attempt += 1
            }
        }
    }

    private func storeCall<Value>(
        _ body: () async throws(CareStoreError) -> Value
    ) async throws(PassFailure) -> Value {
        do {
            return try await body()
        } catch {
            throw .store(error)
        }
    }

    /// A random number in [0, 1) from the injected generator.
    private func nextUnitRandom() -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }
}
