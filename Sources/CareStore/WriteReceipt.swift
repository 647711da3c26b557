public import CareModel

/// What a write returns once it is durable: the record it touched and the
/// operation that records the change.
public struct WriteReceipt: Sendable, Hashable {
    /// The record written (for a new note, missed call or report: its new id).
    public let record: RecordRef
    /// The operation's id: this store's replica and its counter.
    public let operation: Dot
    /// The operation's place in this device's hash chain.
    public let hash: OperationHash
}
