public import CareModel

/// The next operations to push: a contiguous run of this replica's counters,
/// starting at the oldest operation the server has not acknowledged.
public struct UploadBatch: Sendable, Hashable {
    public let replica: ReplicaID
    /// In counter order, each with its hash-chain link (recomputed and checked
    /// against the stored hash when the batch is read).
    public let operations: [ChainedOperation]
    /// How many of them are abuse-report operations.
    public let abuseReportCount: Int

    /// The counters covered.
    public var counters: ClosedRange<UInt64> {
        operations.first!.operation.id.counter...operations.last!.operation.id.counter
    }

    /// The chain head after the batch's last operation.
    public var head: OperationHash { operations.last!.hash }

    /// The body of `POST /v1/push` for this batch, unsigned: the sync engine
    /// signs it with the device key (`PushRequest.signed(by:)`).
    public var pushRequest: PushRequest {
        PushRequest(replica: replica, operations: operations.map(\.operation), head: head)
    }
}

/// What a push answer did to the outbox.
public struct PushOutcome: Sendable, Hashable {
    /// Operations now acknowledged (stored or already had by the server).
    public var acknowledged: Int
    /// Operations the server refused; they stay in the outbox, marked rejected.
    public var rejected: Int
}

/// What applying a pulled page did.
public struct PullOutcome: Sendable, Hashable {
    /// Operations new to this device, now in the log and the tables.
    public var applied: Int
    /// Operations the device already had (a replayed or overlapping page).
    public var duplicates: Int
    /// This device's own operations that came back from the server, and so are
    /// now acknowledged.
    public var acknowledgedOwn: Int
    /// Operations whose timestamp was more than the allowed drift ahead of this
    /// device's clock (not adopted by the clock; kept, and worth flagging).
    public var clockSkewed: [Dot]
    /// The cursor stored.
    public var cursor: UInt64
}
