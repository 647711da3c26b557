import CareModel
import CareServer

/// The lines of an NDJSON export (`caresync-audit-export-v1`), in order: one
/// header, the devices, the signatures, the operations in sequence order, one
/// trailer. Each operation line ends with the operation's stored canonical
/// bytes, verbatim, as the value of `"operation"`, so the hashes can be
/// recomputed from the file alone.
enum ExportLine {
    static let format = "caresync-audit-export-v1"
    /// What precedes the canonical bytes' closing in an operation line.
    static let operationKey = Array(#","operation":"#.utf8)

    struct Header: Codable {
        var type = "header"
        var format = ExportLine.format
        /// Whether the export is the whole log (no filter).
        var wholeLog: Bool
        var filter: ExportFilter
    }

    struct Device: Codable {
        var type = "device"
        var device: DeviceID
        var worker: WorkerID
        var replica: ReplicaID
        var publicKey: String
        var enrolledAt: Int64
        var expiresAt: Int64
        var revokedAt: Int64?

        init(_ summary: DeviceSummary) {
            device = summary.device
            worker = summary.worker
            replica = summary.replica
            publicKey = summary.publicKey
            enrolledAt = summary.enrolledAt
            expiresAt = summary.expiresAt
            revokedAt = summary.revokedAt
        }

        var summary: DeviceSummary {
            DeviceSummary(
                device: device, worker: worker, replica: replica, publicKey: publicKey, enrolledAt: enrolledAt,
                expiresAt: expiresAt, revokedAt: revokedAt)
        }
    }

    struct Signature: Codable {
        var type = "signature"
        var replica: ReplicaID
        var counter: UInt64
        var head: OperationHash
        var signature: String
        var receivedAt: Int64

        init(_ stored: StoredChainSignature) {
            replica = stored.replica
            counter = stored.counter
            head = stored.head
            signature = stored.signature
            receivedAt = stored.receivedAt
        }

        var stored: StoredChainSignature {
            StoredChainSignature(replica: replica, counter: counter, head: head, signature: signature, receivedAt: receivedAt)
        }
    }

    /// An operation line without its `"operation"` member.
    struct OperationMeta: Codable {
        var type = "operation"
        var sequence: UInt64
        var receivedAt: Int64
        var hash: OperationHash
        var serverHash: OperationHash
        var previousHash: OperationHash
        var previousServerHash: OperationHash
    }

    struct Trailer: Codable {
        var type = "end"
        var operations: Int
        var lastSequence: UInt64
    }

    /// Only the `type` member, to dispatch on.
    struct Kind: Codable {
        var type: String
    }
}
