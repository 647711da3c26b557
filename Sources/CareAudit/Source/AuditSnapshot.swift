public import CareServer

/// What an audit reads of a source before its operations, read in an order
/// that holds while a server goes on writing to the database: the
/// signatures, then the log's last sequence, then the devices; the audit then
/// reads the operations through that sequence only.
///
/// - Each signature read covers an operation already stored, at or before the
///   last sequence read after it: none is reported missing because the audit
///   stopped short of it. (An operation stored between the two reads counts
///   only as not yet signed.)
/// - Each operation through that sequence was written by a device enrolled
///   before it was stored, so before the devices are read: none is reported
///   as an unknown replica because it enrolled during the audit.
public struct AuditSnapshot: Sendable {
    public let signatures: [StoredChainSignature]
    /// The last sequence the audit reads; nil for a source that cannot grow (all of it).
    public let lastSequence: UInt64?
    public let devices: [DeviceSummary]

    public static func read(_ source: some AuditLogSource) async throws -> AuditSnapshot {
        let signatures = try await source.signatures()
        let lastSequence = try await source.lastSequence()
        return AuditSnapshot(signatures: signatures, lastSequence: lastSequence, devices: try await source.devices())
    }
}
