// The push response a device reads after every push, in the shape its
// `Codable` conformance writes.

extension ErrorBody: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var code: String?
        var message: String?
        var field: String?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "code" {
                code = try reader.readString()
            } else if name == "message" {
                message = try reader.readString()
            } else if name == "field" {
                field = try reader.consumeNull() ? nil : reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        self.init(code: try required(code, "code"), message: try required(message, "message"), field: field)
    }
}

extension OperationResult: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var id: Dot?
        var status: String?
        var sequence: UInt64?
        var error: ErrorBody?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "id" {
                id = try reader.read(Dot.self)
            } else if name == "status" {
                status = try reader.readString()
            } else if name == "sequence" {
                sequence = try reader.consumeNull() ? nil : reader.readUInt64()
            } else if name == "error" {
                error = try reader.readIfPresent(ErrorBody.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            id: try required(id, "id"), status: Status(rawValue: try required(status, "status")), sequence: sequence,
            error: error)
    }
}

extension ReceiptEntry: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var replica: ReplicaID?
        var counter: UInt64?
        var hash: OperationHash?
        var sequence: UInt64?
        var receivedAt: Int64?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "replica" {
                replica = try reader.read(ReplicaID.self)
            } else if name == "counter" {
                counter = try reader.readUInt64()
            } else if name == "hash" {
                hash = try reader.read(OperationHash.self)
            } else if name == "sequence" {
                sequence = try reader.readUInt64()
            } else if name == "receivedAt" {
                receivedAt = try reader.readInt64()
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            replica: try required(replica, "replica"), counter: try required(counter, "counter"),
            hash: try required(hash, "hash"), sequence: try required(sequence, "sequence"),
            receivedAt: try required(receivedAt, "receivedAt"))
    }
}

extension ReceiptBatch: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var entries: [ReceiptEntry]?
        var signature: String?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "entries" {
                var list: [ReceiptEntry] = []
                try reader.readList { reader, _ throws(JSONReadError) in list.append(try reader.read(ReceiptEntry.self)) }
                entries = list
            } else if name == "signature" {
                signature = try reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        self.init(entries: try required(entries, "entries"), signature: try required(signature, "signature"))
    }
}

extension PushResponse: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var results: [OperationResult]?
        var receipts: ReceiptBatch?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "results" {
                var list: [OperationResult] = []
                try reader.readList { reader, _ throws(JSONReadError) in
                    list.append(try reader.read(OperationResult.self))
                }
                results = list
            } else if name == "receipts" {
                receipts = try reader.readIfPresent(ReceiptBatch.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(results: try required(results, "results"), receipts: receipts)
    }

    /// Reads a push response: the same result as `JSONDecoder` for every valid
    /// body, without its cost (see `JSONReader`).
    public init(json bytes: UnsafeRawBufferPointer) throws(JSONReadError) {
        self = try JSONReader.read(PushResponse.self, from: bytes)
    }
}
