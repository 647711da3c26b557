public import CareModel

/// Ending a worker's use of a store.
public struct SignOutAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The worker signs out; the data stays, read-only.
    public static let signOut = SignOutAction(rawValue: "sign_out")
    /// Another worker takes the device: this store is signed out and the app
    /// opens the other worker's store (its own file).
    public static let switchWorker = SignOutAction(rawValue: "switch_worker")
    /// Sign out and erase every care record from the file (the event log stays).
    public static let wipe = SignOutAction(rawValue: "wipe")
}

/// What a sign-out, worker switch or wipe did; also kept in the store's event
/// log (``CareStore/events()``).
public struct StoreEvent: Sendable, Hashable {
    public var action: SignOutAction
    /// The device clock when it happened.
    public var at: Int64
    /// Whether it was forced past unacknowledged operations.
    public var forced: Bool
    public var worker: WorkerID
    public var replica: ReplicaID
    /// Operations the server had not acknowledged: lost from this device's point
    /// of view if it was forced (0 otherwise).
    public var unacknowledgedCount: Int
    /// Their counters, if any.
    public var unacknowledgedCounters: ClosedRange<UInt64>?
    /// The replica's chain head at that moment, so an auditor can tell exactly
    /// which operations were discarded.
    public var head: OperationHash
}
