public import CareModel

/// One push, after the request-level checks (credential, replica, author and
/// device all match): what the storage and the planner work from.
public struct IngestBatch: Sendable {
    public let replica: ReplicaID
    public let device: DeviceID
    /// The pushing worker, with the roles and teams that decide what they may write.
    public let worker: Worker
    public let operations: [Operation]
    /// The device's chain head after the batch, if it sent one.
    public let head: OperationHash?
    /// The server's receive time for every operation of the batch, Unix milliseconds.
    public let receivedAt: Int64
    /// The device's signature over `head` (already checked against its enrolled key).
    public let signature: ChainHeadSignature?
    /// The operations encoded, hashed and chained among themselves (the first
    /// after the `predecessor` the batch was made with) when the batch is
    /// made, outside the storage's ingest lock. Under it the planner hashes
    /// them again only when the replica's stored predecessor turns out to be
    /// another (``ChainedOperation/rechained(after:)``).
    public let sealed: [ChainedOperation]
    /// Each operation's schema check (``OperationValidator``), made with
    /// ``sealed``: nil where the operation is valid.
    let schemaErrors: [CareModelError?]
    /// The records the planner looks up (each operation's record, and the
    /// visit a new note or missed call points at), also gathered before the lock.
    public let referencedRecords: Set<RecordRef>

    /// - Parameter predecessor: the hash the first operation is expected to
    ///   follow: the replica's stored operation before it, as read before the
    ///   ingest lock (genesis when unknown). Only a guess that saves hashing
    ///   under the lock: the planner checks it against what is stored.
    public init(
        replica: ReplicaID, device: DeviceID, worker: Worker, operations: [Operation], head: OperationHash?, receivedAt: Int64,
        signature: ChainHeadSignature? = nil, predecessor: OperationHash = .genesis
    ) {
        self.signature = signature
        self.replica = replica
        self.device = device
        self.worker = worker
        self.operations = operations
        self.head = head
        self.receivedAt = receivedAt
        var previous = predecessor
        sealed = operations.map { operation in
            let chained = ChainedOperation(operation, after: previous)
            previous = chained.hash
            return chained
        }
        referencedRecords = Self.referencedRecords(of: operations)
        schemaErrors = operations.map { operation in
            do throws(CareModelError) {
                try OperationValidator.validate(operation)
                return nil
            } catch {
                return error
            }
        }
    }

    /// The counters whose stored hash and sequence the planner may need: those of
    /// the batch and the one before the first, up to `lastStored`.
    public func storedCountersNeeded(lastStored: UInt64) -> ClosedRange<UInt64>? {
        guard !operations.isEmpty else { return nil }
        let counters = snapshotCounters
        let from = max(counters.lowerBound, 1)
        let highest = min(counters.upperBound, lastStored)
        guard from <= highest else { return nil }
        return from...highest
    }

    /// The counters a snapshot reads the replica's stored operations over: from
    /// the one before the first operation to the last (rows beyond the replica's
    /// head do not exist, so this covers ``storedCountersNeeded(lastStored:)``).
    var snapshotCounters: ClosedRange<UInt64> {
        let counters = operations.map(\.id.counter)
        let lowest = max(counters.min() ?? 1, 1) - 1
        return lowest...max(counters.max() ?? 0, lowest)
    }

    /// The records the planner looks up: each operation's record, and the visit
    /// a new note or missed call points at.
    private static func referencedRecords(of operations: [Operation]) -> Set<RecordRef> {
        var refs: Set<RecordRef> = []
        for operation in operations {
            refs.insert(operation.record)
            if let visit = operation.createdVisitReference {
                refs.insert(visit)
            }
        }
        return refs
    }
}

extension Operation {
    /// For the create of a note or missed call: the visit it belongs to (its
    /// immutable `visit` field). Abuse reports are left out on purpose: their
    /// visit gives nobody access to them.
    var createdVisitReference: RecordRef? {
        guard action == .create, record.kind == .visitNote || record.kind == .missedCall else { return nil }
        guard let text = value(of: VisitNote.Field.visit)?.stringValue, let id = RecordID(text) else { return nil }
        return RecordRef(kind: .visit, id: id)
    }

    /// The value this operation sets on `field`, if it sets it.
    func value(of field: String) -> Value? {
        changes.first { $0.field == field && $0.kind == .set }?.value
    }
}
