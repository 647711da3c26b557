extension CanonicalJSONWriter {
    /// Writes `operation` in canonical form. Keys are written in sorted order by
    /// hand, each with its punctuation as one chunk; this must stay in step with
    /// `Operation.CodingKeys` and `Schema/operation.schema.json` (tests check both).
    mutating func operation(_ operation: Operation) {
        raw(#"{"action":"#)
        string(operation.action.rawValue)
        raw(#","author":"#)
        string(operation.author.rawValue)
        raw(#","changes":["#)
        for (index, change) in operation.changes.enumerated() {
            raw(index == 0 ? #"{"f":"# : #",{"f":"#)
            string(change.field)
            raw(#","k":"#)
            string(change.kind.rawValue)
            raw(#","v":"#)
            value(change.value)
            raw("}")
        }
        raw(#"],"context":"#)
        versionVector(operation.context)
        raw(#","device":"#)
        uuid(operation.device.uuid)
        raw(#","deviceTime":"#)
        int(operation.deviceTime)
        raw(#","hlc":"#)
        timestamp(operation.timestamp)
        raw(#","id":"#)
        dot(operation.id)
        raw(#","record":{"id":"#)
        uuid(operation.record.id.uuid)
        raw(#","kind":"#)
        string(operation.record.kind.rawValue)
        raw("}}")
    }

    mutating func versionVector(_ vector: VersionVector) {
        byte(UInt8(ascii: "{"))
        for (index, entry) in vector.entries.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            uuid(entry.replica.uuid)
            byte(UInt8(ascii: ":"))
            unsigned(entry.counter)
        }
        byte(UInt8(ascii: "}"))
    }

    mutating func timestamp(_ timestamp: HLCTimestamp) {
        raw(#"{"l":"#)
        unsigned(UInt64(timestamp.logical))
        raw(#","t":"#)
        int(timestamp.wallMillis)
        raw("}")
    }

    mutating func dot(_ dot: Dot) {
        raw(#"{"c":"#)
        unsigned(dot.counter)
        raw(#","r":"#)
        uuid(dot.replica.uuid)
        raw("}")
    }

    /// Writes a UUID as a JSON string (its characters never need escaping).
    mutating func uuid(_ uuid: UUIDValue) {
        byte(UInt8(ascii: "\""))
        uuid.appendHex(to: &bytes)
        byte(UInt8(ascii: "\""))
    }
}
