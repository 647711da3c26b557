public import CareModel

/// One thing verification found wrong, located as precisely as the evidence allows.
public struct AuditFinding: Codable, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, stable for scripts.
    public struct Code: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The operation's canonical bytes do not name a replica and counter.
        public static let malformedOperation = Code(rawValue: "malformed_operation")
        /// The replica chain: the operation's bytes, after its predecessor's hash,
        /// do not hash to its stored hash (the operation or its predecessor changed).
        public static let hashMismatch = Code(rawValue: "hash_mismatch")
        /// A replica's counters skip (operations missing) or go back (reordered).
        public static let counterGap = Code(rawValue: "counter_gap")
        /// The log's sequence numbers skip (operations missing) or go back.
        public static let sequenceGap = Code(rawValue: "sequence_gap")
        /// The server chain: the stored server hash is not the link of the one before.
        public static let serverHashMismatch = Code(rawValue: "server_hash_mismatch")
        /// A signature does not verify with the device's enrolled key.
        public static let badSignature = Code(rawValue: "bad_signature")
        /// A signature's head is not the replica's recomputed chain hash at its counter.
        public static let signatureHeadMismatch = Code(rawValue: "signature_head_mismatch")
        /// A signature covers an operation that is not in the log (dropped).
        public static let missingSignedOperation = Code(rawValue: "missing_signed_operation")
        /// An operation or signature of a replica no enrolled device writes as.
        public static let unknownReplica = Code(rawValue: "unknown_replica")
        /// An export file ends before its trailer, or disagrees with it.
        public static let truncatedExport = Code(rawValue: "truncated_export")
        /// An export line that cannot be read.
        public static let malformedExport = Code(rawValue: "malformed_export")
    }

    public var code: Code
    public var message: String
    /// The server log position concerned.
    public var sequence: UInt64?
    public var device: DeviceID?
    public var replica: ReplicaID?
    public var counter: UInt64?

    public init(
        _ code: Code, _ message: String, sequence: UInt64? = nil, device: DeviceID? = nil, replica: ReplicaID? = nil,
        counter: UInt64? = nil
    ) {
        self.code = code
        self.message = message
        self.sequence = sequence
        self.device = device
        self.replica = replica
        self.counter = counter
    }

    /// `sequence 12, device …, replica … counter 4: message [code]`.
    public var description: String {
        var place: [String] = []
        if let sequence { place.append("sequence \(sequence)") }
        if let device { place.append("device \(device)") }
        if let replica {
            place.append(counter.map { "replica \(replica) counter \($0)" } ?? "replica \(replica)")
        } else if let counter {
            place.append("counter \(counter)")
        }
        return (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + message + " [\(code)]"
    }
}
