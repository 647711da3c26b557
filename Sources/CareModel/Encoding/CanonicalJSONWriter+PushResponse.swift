extension PushResponse {
    /// The response as JSON, written directly: the same document `JSONEncoder`
    /// writes (keys sorted), at a fraction of its cost on a push of a thousand
    /// operations, where encoding the answer cost as much as planning the batch.
    public func jsonBytes() -> [UInt8] {
        var writer = CanonicalJSONWriter(reservingCapacity: 64 + results.count * 200)
        writer.raw("{")
        if let receipts {
            writer.key("receipts")
            writer.receiptBatch(receipts)
            writer.raw(",")
        }
        writer.key("results")
        writer.raw("[")
        for (index, result) in results.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.operationResult(result)
        }
        writer.raw("]}")
        return writer.bytes
    }
}

extension CanonicalJSONWriter {
    mutating func operationResult(_ result: OperationResult) {
        raw("{")
        if let error = result.error {
            key("error")
            errorBody(error)
            raw(",")
        }
        key("id")
        dot(result.id)
        if let sequence = result.sequence {
            raw(#","sequence":"#)
            unsigned(sequence)
        }
        raw(#","status":"#)
        string(result.status.rawValue)
        raw("}")
    }

    mutating func errorBody(_ error: ErrorBody) {
        raw(#"{"code":"#)
        string(error.code)
        if let field = error.field {
            raw(#","field":"#)
            string(field)
        }
        raw(#","message":"#)
        string(error.message)
        raw("}")
    }

    mutating func receiptBatch(_ batch: ReceiptBatch) {
        raw(#"{"entries":["#)
        for (index, entry) in batch.entries.enumerated() {
            if index > 0 { raw(",") }
            raw(#"{"counter":"#)
            unsigned(entry.counter)
            raw(#","hash":"#)
            string(entry.hash.hex)
            raw(#","receivedAt":"#)
            int(entry.receivedAt)
            raw(#","replica":"#)
            uuid(entry.replica.uuid)
            raw(#","sequence":"#)
            unsigned(entry.sequence)
            raw("}")
        }
        raw(#"],"signature":"#)
        string(batch.signature)
        raw("}")
    }
}
