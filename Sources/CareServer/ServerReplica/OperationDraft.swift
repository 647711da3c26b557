public import CareModel

/// An operation the server is about to write on its replica: what it changes,
/// before the writer gives it a counter, a timestamp, a context and a place in
/// the chain (see ``ServerReplicaWriter``).
public struct OperationDraft: Sendable, Hashable {
    public var record: RecordRef
    public var action: Action
    public var changes: [Change]

    public init(record: RecordRef, action: Action, changes: [Change]) {
        self.record = record
        self.action = action
        self.changes = changes
    }
}
