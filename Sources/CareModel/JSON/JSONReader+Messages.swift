// The request bodies the server reads on its hot path, in the shapes their
// `Codable` conformances write.

extension OperationHash: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        guard let hash = OperationHash(hex: try reader.readString()) else {
            throw JSONReadError(.invalidValue, "expected 64 hex digits")
        }
        self = hash
    }
}

extension ChainHeadSignature: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var counter: UInt64?
        var signature: String?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "counter" {
                counter = try reader.readUInt64()
            } else if name == "signature" {
                signature = try reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        self.init(counter: try required(counter, "counter"), signature: try required(signature, "signature"))
    }
}

extension PushRequest: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var replica: ReplicaID?
        var operations: [Operation]?
        var head: OperationHash?
        var signature: ChainHeadSignature?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "replica" {
                replica = try reader.read(ReplicaID.self)
            } else if name == "operations" {
                var list: [Operation] = []
                try reader.readList { reader, _ throws(JSONReadError) in list.append(try reader.read(Operation.self)) }
                operations = list
            } else if name == "head" {
                head = try reader.readIfPresent(OperationHash.self)
            } else if name == "signature" {
                signature = try reader.readIfPresent(ChainHeadSignature.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            replica: try required(replica, "replica"), operations: try required(operations, "operations"), head: head,
            signature: signature)
    }

    /// Reads a push body: the same result as `JSONDecoder` for every valid
    /// body, without its cost (see `JSONReader`).
    public init(json bytes: UnsafeRawBufferPointer) throws(JSONReadError) {
        self = try JSONReader.read(PushRequest.self, from: bytes)
    }
}

extension SyncRequest: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var push: PushRequest?
        var after: UInt64?
        var limit: Int?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "push" {
                push = try reader.readIfPresent(PushRequest.self)
            } else if name == "after" {
                after = try reader.readUInt64()
            } else if name == "limit" {
                limit = try reader.consumeNull() ? nil : reader.readInt()
            } else {
                try reader.skipValue()
            }
        }
        self.init(push: push, after: try required(after, "after"), limit: limit)
    }

    /// Reads a sync body: the same result as `JSONDecoder` for every valid
    /// body, without its cost (see `JSONReader`).
    public init(json bytes: UnsafeRawBufferPointer) throws(JSONReadError) {
        self = try JSONReader.read(SyncRequest.self, from: bytes)
    }
}
