public import CareModel
public import CareServer

/// Where an audit reads the server log from: the server's storage (the SQLite
/// file now; any ``SyncStorage``, so PostgreSQL too) or an exported NDJSON file.
public protocol AuditLogSource: Sendable {
    /// Whether the log is whole: every operation from sequence 1, unfiltered. A
    /// whole log must have no gap in its sequences or in any replica's counters;
    /// a filtered export has gaps by design and proves each operation's links instead.
    var isWholeLog: Bool { get }
    /// The enrolled devices, with the public keys their signatures verify with.
    func devices() async throws -> [DeviceSummary]
    /// The stored chain-head signatures.
    func signatures() async throws -> [StoredChainSignature]
    /// The log in sequence order, after `sequence`, at most `limit` entries.
    func entries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry]
    /// What is wrong with the source as a whole (a truncated export), if anything.
    func sourceFindings() async throws -> [AuditFinding]
    /// The log's last sequence now, for a source a running server may still
    /// write to (its database); nil for one that cannot grow (an export).
    func lastSequence() async throws -> UInt64?
}

/// One operation of the server log, as an audit reads it.
public struct AuditEntry: Sendable, Hashable {
    /// The stored entry: sequence, receive time, replica-chain hash, server-chain hash, canonical body.
    public var log: CareServer.LogEntry
    /// The replica-chain hash before this operation, as an export states it (nil from storage).
    public var previousHash: OperationHash?
    /// The server-chain hash before this operation, as an export states it (nil from storage).
    public var previousServerHash: [UInt8]?

    public init(log: CareServer.LogEntry, previousHash: OperationHash? = nil, previousServerHash: [UInt8]? = nil) {
        self.log = log
        self.previousHash = previousHash
        self.previousServerHash = previousServerHash
    }
}

extension AuditLogSource {
    /// Calls `body` with every entry in sequence order, a page at a time,
    /// through `last` when given (entries after it are not read).
    public func forEachEntry(
        through last: UInt64? = nil, pageSize: Int = 10_000, _ body: (AuditEntry) throws -> Void
    ) async throws {
        var after: UInt64 = 0
        while true {
            let page = try await entries(after: after, limit: pageSize)
            for entry in page {
                if let last, entry.log.sequence > last { return }
                try body(entry)
            }
            guard let final = page.last, page.count == pageSize else { return }
            after = final.log.sequence
        }
    }
}
