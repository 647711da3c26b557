public import CareServer

/// An audit over the server's own storage: the whole log.
///
/// Reads only through ``SyncStorage``'s read methods (`logEntries`,
/// `chainSignatures`, `devices`), so any backend can be audited.
public struct StorageAuditSource: AuditLogSource {
    public let storage: any SyncStorage

    public init(storage: any SyncStorage) {
        self.storage = storage
    }

    /// Opens the server's SQLite database file for reading only (see
    /// ``SQLiteSyncStorage/init(readingOnly:)``): nothing is created or migrated.
    public init(databasePath: String) throws {
        self.init(storage: try SQLiteSyncStorage(readingOnly: databasePath))
    }

    public var isWholeLog: Bool { true }

    public func devices() async throws -> [DeviceSummary] {
        try await storage.devices()
    }

    public func signatures() async throws -> [StoredChainSignature] {
        try await storage.chainSignatures()
    }

    public func entries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        try await storage.logEntries(after: sequence, limit: limit).map { AuditEntry(log: $0) }
    }

    public func sourceFindings() async throws -> [AuditFinding] { [] }

    public func lastSequence() async throws -> UInt64? {
        try await storage.lastLogSequence()
    }
}
