extension CanonicalJSONWriter {
    /// Writes `operation` in canonical form. The keys are written in sorted
    /// order by hand; this must stay in step with `Operation.CodingKeys` and
    /// `Schema/operation.schema.json` (a test checks both).
    mutating func operation(_ operation: Operation) {
        byte(UInt8(ascii: "{"))
        key("action")
        string(operation.action.rawValue)
        raw(",")
        key("author")
        string(operation.author.rawValue)
        raw(",")
        key("changes")
        byte(UInt8(ascii: "["))
        for (index, change) in operation.changes.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            raw("{")
            key("f")
            string(change.field)
            raw(",")
            key("k")
            string(change.kind.rawValue)
            raw(",")
            key("v")
            value(change.value)
            raw("}")
        }
        byte(UInt8(ascii: "]"))
        raw(",")
        key("context")
        versionVector(operation.context)
        raw(",")
        key("device")
        uuid(operation.device.uuid)
        raw(",")
        key("deviceTime")
        int(operation.deviceTime)
        raw(",")
        key("hlc")
        timestamp(operation.timestamp)
        raw(",")
        key("id")
        dot(operation.id)
        raw(",")
        key("record")
        raw("{")
        key("id")
        uuid(operation.record.id.uuid)
        raw(",")
        key("kind")
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
        raw("{")
        key("l")
        unsigned(UInt64(timestamp.logical))
        raw(",")
        key("t")
        int(timestamp.wallMillis)
        raw("}")
    }

    mutating func dot(_ dot: Dot) {
        raw("{")
        key("c")
        unsigned(dot.counter)
        raw(",")
        key("r")
        uuid(dot.replica.uuid)
        raw("}")
    }

    mutating func uuid(_ uuid: UUIDValue) {
        string(uuid.description)
    }
}
