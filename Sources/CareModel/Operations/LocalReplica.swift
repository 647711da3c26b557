/// The writing side of one replica: numbers its operations 1, 2, 3, …, stamps
/// them with its hybrid logical clock and chains their hashes.
///
/// A value type with no I/O: the device store keeps it in its database and
/// saves the new state in the same transaction as the operation it wrote.
public struct LocalReplica: Sendable, Hashable {
    public let replica: ReplicaID
    public let device: DeviceID
    public let author: WorkerID
    /// The counter of the last operation written (0 before the first).
    public private(set) var lastCounter: UInt64
    /// The hash of the last operation written (``OperationHash/genesis`` before the first).
    public private(set) var head: OperationHash
    public private(set) var clock: HybridLogicalClock

    public init(
        replica: ReplicaID, device: DeviceID, author: WorkerID, lastCounter: UInt64 = 0,
        head: OperationHash = .genesis, clock: HybridLogicalClock = HybridLogicalClock()
    ) {
        self.replica = replica
        self.device = device
        self.author = author
        self.lastCounter = lastCounter
        self.head = head
        self.clock = clock
    }

    /// Writes the next operation. `context` is what this replica has seen of the
    /// record (its ``RecordState/version``; empty for a new record);
    /// `physicalMillis` is the device's clock reading. An invalid operation
    /// throws and leaves the replica as it was (no counter is used up).
    public mutating func write(
        _ record: RecordRef, _ action: Action, _ changes: [Change], context: VersionVector,
        physicalMillis: Int64
    ) throws(CareModelError) -> ChainedOperation {
        var clock = self.clock
        let operation = Operation(
            id: Dot(replica: replica, counter: lastCounter + 1), record: record, action: action,
            changes: changes, context: context, timestamp: clock.tick(physicalMillis: physicalMillis),
            deviceTime: physicalMillis, author: author, device: device)
        try OperationValidator.validate(operation)
        let chained = ChainedOperation(operation, after: head)
        self.clock = clock
        lastCounter += 1
        head = chained.hash
        return chained
    }

    /// Takes in the timestamp of an operation received from another replica.
    @discardableResult
    public mutating func observe(_ timestamp: HLCTimestamp, physicalMillis: Int64) -> HybridLogicalClock.Observation {
        clock.observe(timestamp, physicalMillis: physicalMillis)
    }
}
