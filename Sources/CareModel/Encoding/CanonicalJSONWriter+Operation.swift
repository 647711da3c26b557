extension CanonicalByteOutput {
    /// The most ``operation(_:)`` writes for `operation`.
    static func bound(of operation: Operation) -> Int {
        // Keys and punctuation (under 200 bytes), five UUIDs (id, device,
        // record, and the id's replica twice over at most), four numbers.
        var bound = 200 + 5 * uuidBound + 4 * numberBound
        bound += Self.bound(of: operation.action.rawValue) + Self.bound(of: operation.author.rawValue)
        bound += Self.bound(of: operation.record.kind.rawValue)
        for change in operation.changes {
            bound += 20 + Self.bound(of: change.field) + Self.bound(of: change.kind.rawValue) + Self.bound(of: change.value)
        }
        return bound + Self.bound(of: operation.context)
    }

    /// The most ``versionVector(_:)`` writes for `vector`.
    static func bound(of vector: VersionVector) -> Int {
        2 + vector.count * (uuidBound + numberBound + 2)
    }

    /// The most ``timestamp(_:)`` or ``dot(_:)`` writes.
    static let timestampBound = 16 + 2 * numberBound
    static let dotBound = 16 + numberBound + uuidBound

    /// Writes `operation` in canonical form. Keys are written in sorted order by
    /// hand, each with its punctuation as one chunk; this must stay in step with
    /// `Operation.CodingKeys` and `Schema/operation.schema.json` (tests check both).
    mutating func operation(_ operation: Operation) {
        raw(#"{"action":"#)
        string(operation.action.rawValue)
        raw(#","author":"#)
        string(operation.author.rawValue)
        raw(#","changes":["#)
        operation.changes.withUnsafeBufferPointer { changes in
            for index in changes.indices {
                if index == 0 { raw(#"{"f":"#) } else { raw(#",{"f":"#) }
                string(changes[index].field)
                raw(#","k":"#)
                string(changes[index].kind.rawValue)
                raw(#","v":"#)
                value(changes[index].value)
                raw("}")
            }
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
        // In place: iterating the array itself bounds-checked and copied each entry.
        vector.entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if index > 0 { byte(UInt8(ascii: ",")) }
                uuid(entries[index].replica.uuid)
                byte(UInt8(ascii: ":"))
                unsigned(entries[index].counter)
            }
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
}

extension CanonicalJSONWriter {
    mutating func operation(_ operation: Operation) {
        write(atMost: CanonicalByteOutput.bound(of: operation)) { $0.operation(operation) }
    }

    mutating func versionVector(_ vector: VersionVector) {
        write(atMost: CanonicalByteOutput.bound(of: vector)) { $0.versionVector(vector) }
    }

    mutating func timestamp(_ timestamp: HLCTimestamp) {
        write(atMost: CanonicalByteOutput.timestampBound) { $0.timestamp(timestamp) }
    }

    mutating func dot(_ dot: Dot) {
        write(atMost: CanonicalByteOutput.dotBound) { $0.dot(dot) }
    }

    /// Writes a UUID as a JSON string (its characters never need escaping).
    mutating func uuid(_ uuid: UUIDValue) {
        write(atMost: CanonicalByteOutput.uuidBound) { $0.uuid(uuid) }
    }
}
