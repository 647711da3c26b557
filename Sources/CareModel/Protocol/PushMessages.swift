/// A batch of one replica's operations, in counter order: the body of
/// `POST /v1/push`.
public struct PushRequest: Codable, Sendable, Hashable {
    /// The replica the operations belong to; every operation's id must name it.
    public var replica: ReplicaID
    public var operations: [Operation]
    /// The replica's chain head after the last operation of this batch, as the
    /// device computed it. Hashes do not travel per operation (the server
    /// recomputes them); this one lets the server detect a chain that differs
    /// from the device's (an altered operation, a reset store) and refuse it.
    public var head: OperationHash?
    /// The device's signature over its chain head after these operations
    /// (checked from the auditor-replay issue on; optional until then).
    public var signature: ChainHeadSignature?

    public init(
        replica: ReplicaID, operations: [Operation], head: OperationHash? = nil,
        signature: ChainHeadSignature? = nil
    ) {
        self.replica = replica
        self.operations = operations
        self.head = head
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case replica, operations, head, signature
    }

    /// Reads `operations` in the decoder's ``WireFormat``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        replica = try container.decode(ReplicaID.self, forKey: .replica)
        operations = try container.decodeOperations(forKey: .operations, format: decoder.wireFormat)
        head = try container.decodeIfPresent(OperationHash.self, forKey: .head)
        signature = try container.decodeIfPresent(ChainHeadSignature.self, forKey: .signature)
    }

    /// Writes `operations` in the encoder's ``WireFormat``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(replica, forKey: .replica)
        try container.encodeOperations(operations, forKey: .operations, format: encoder.wireFormat)
        try container.encodeIfPresent(head, forKey: .head)
        try container.encodeIfPresent(signature, forKey: .signature)
    }
}

/// A device's Ed25519 signature over the head of its replica's hash chain.
public struct ChainHeadSignature: Codable, Sendable, Hashable {
    /// The counter of the last operation covered.
    public var counter: UInt64
    /// The base64 Ed25519 signature of `ChainHeadSignature.message(replica:counter:head:)`.
    public var signature: String

    public init(counter: UInt64, signature: String) {
        self.counter = counter
        self.signature = signature
    }

    /// The bytes signed: `caresync-chain-head-v1\n<replica>\n<counter>\n<head hex>`.
    public static func message(replica: ReplicaID, counter: UInt64, head: OperationHash) -> [UInt8] {
        Array("caresync-chain-head-v1\n\(replica)\n\(counter)\n\(head.hex)".utf8)
    }
}

/// What the server did with one pushed operation.
public struct OperationResult: Codable, Sendable, Hashable {
    public struct Status: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Newly stored, durably, before this answer was sent.
        public static let stored = Status(rawValue: "stored")
        /// Stored by an earlier push; nothing changed.
        public static let duplicate = Status(rawValue: "duplicate")
        /// Refused; see `error`. Later operations of the same replica are refused
        /// too (their chain and counters would have a gap).
        public static let rejected = Status(rawValue: "rejected")
    }

    public var id: Dot
    public var status: Status
    /// The server log position the operation was stored at (stored and duplicate).
    public var sequence: UInt64?
    public var error: ErrorBody?

    public init(id: Dot, status: Status, sequence: UInt64? = nil, error: ErrorBody? = nil) {
        self.id = id
        self.status = status
        self.sequence = sequence
        self.error = error
    }
}

/// The answer to a push: one result per operation, in the request's order,
/// and the server's signed receipts for the operations it holds.
public struct PushResponse: Codable, Sendable, Hashable {
    public var results: [OperationResult]
    /// One entry per stored or duplicate result, in the results' order, signed
    /// by the server's key; absent when the push stored nothing and held
    /// nothing of it (every operation rejected), and from servers before receipts.
    public var receipts: ReceiptBatch?

    public init(results: [OperationResult], receipts: ReceiptBatch? = nil) {
        self.results = results
        self.receipts = receipts
    }
}
