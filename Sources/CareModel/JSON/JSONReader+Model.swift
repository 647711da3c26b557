// The model's types, read in the shapes their `Codable` conformances write.

extension JSONReader {
    mutating func readUUID() throws(JSONReadError) -> UUIDValue {
        try withString { raw throws(JSONReadError) in
            guard let uuid = UUIDValue(utf8: raw) else {
                throw JSONReadError(.invalidValue, "expected a hyphenated UUID")
            }
            return uuid
        }
    }

    mutating func read<Identifier: UUIDIdentifier>(_ type: Identifier.Type) throws(JSONReadError) -> Identifier {
        Identifier(uuid: try readUUID())
    }

    mutating func read<Identifier: NameIdentifier>(_ type: Identifier.Type) throws(JSONReadError) -> Identifier {
        let text = try readString()
        guard NameIdentifierRules.isValid(text) else {
            throw JSONReadError(.invalidValue, "expected 1-64 characters of [A-Za-z0-9._-@:]")
        }
        return Identifier(unchecked: text)
    }

    /// Reads a string that must be one of `allowed`.
    mutating func readWord(_ allowed: [StaticString], _ what: String) throws(JSONReadError) -> String {
        try withString { raw throws(JSONReadError) in
            for word in allowed
            where raw.elementsEqual(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)) {
                return word.description
            }
            throw JSONReadError(.invalidValue, "expected \(what)")
        }
    }
}

extension Value: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self = try reader.readValue()
    }

    /// Reads a value from JSON (integers only: CareSync has no floating point).
    public init(json bytes: [UInt8]) throws(JSONReadError) {
        self = try JSONReader.read(Value.self, from: bytes)
    }
}

extension Dot: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var replica: ReplicaID?
        var counter: UInt64?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "r" {
                replica = try reader.read(ReplicaID.self)
            } else if name == "c" {
                counter = try reader.readUInt64()
            } else {
                try reader.skipValue()
            }
        }
        self.init(replica: try required(replica, "r"), counter: try required(counter, "c"))
    }
}

extension HLCTimestamp: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var wallMillis: Int64?
        var logical: UInt32?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "t" {
                wallMillis = try reader.readInt64()
            } else if name == "l" {
                guard let value = UInt32(exactly: try reader.readUInt64()) else {
                    throw JSONReadError(.invalidValue, "the number is out of range")
                }
                logical = value
            } else {
                try reader.skipValue()
            }
        }
        self.init(wallMillis: try required(wallMillis, "t"), logical: try required(logical, "l"))
    }
}

extension VersionVector: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var vector = VersionVector()
        try reader.readObject { reader, name throws(JSONReadError) in
            guard case let replica? = name.withUTF8({ UUIDValue(utf8: $0) }).map(ReplicaID.init(uuid:)) else {
                throw JSONReadError(.invalidValue, "context keys must be replica UUIDs")
            }
            vector.include(Dot(replica: replica, counter: try reader.readUInt64()))
        }
        self = vector
    }
}

extension RecordRef: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var kind: RecordKind?
        var id: RecordID?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "kind" {
                kind = try reader.read(RecordKind.self)
            } else if name == "id" {
                id = try reader.read(RecordID.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(kind: try required(kind, "kind"), id: try required(id, "id"))
    }
}

extension RecordKind: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init(rawValue: try reader.readWord(
            ["visit", "visit_note", "missed_call", "abuse_report", "abuse_escalation"], "a record kind"))
    }
}

extension Action: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init(rawValue: try reader.readWord(["create", "update", "delete"], "create, update or delete"))
    }
}

extension Change: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var field: String?
        var kind: Kind?
        var value: Value?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "f" {
                field = try reader.readString()
            } else if name == "k" {
                kind = Kind(rawValue: try reader.readWord(["set", "append"], "\"set\" or \"append\""))
            } else if name == "v" {
                value = try reader.readValue()
            } else {
                try reader.skipValue()
            }
        }
        self.init(field: try required(field, "f"), kind: try required(kind, "k"), value: try required(value, "v"))
    }
}

extension Operation: JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var action: Action?
        var author: WorkerID?
        var changes: [Change]?
        var context: VersionVector?
        var device: DeviceID?
        var deviceTime: Int64?
        var timestamp: HLCTimestamp?
        var id: Dot?
        var record: RecordRef?
        try reader.readObject { reader, name throws(JSONReadError) in
            if name == "action" {
                action = try reader.read(Action.self)
            } else if name == "author" {
                author = try reader.read(WorkerID.self)
            } else if name == "changes" {
                var list: [Change] = []
                list.reserveCapacity(4)
                try reader.readList { reader, _ throws(JSONReadError) in list.append(try reader.read(Change.self)) }
                changes = list
            } else if name == "context" {
                context = try reader.readIfPresent(VersionVector.self)
            } else if name == "device" {
                device = try reader.read(DeviceID.self)
            } else if name == "deviceTime" {
                deviceTime = try reader.readInt64()
            } else if name == "hlc" {
                timestamp = try reader.read(HLCTimestamp.self)
            } else if name == "id" {
                id = try reader.read(Dot.self)
            } else if name == "record" {
                record = try reader.read(RecordRef.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            id: try required(id, "id"), record: try required(record, "record"), action: try required(action, "action"),
            changes: try required(changes, "changes"), context: context ?? VersionVector(),
            timestamp: try required(timestamp, "hlc"), deviceTime: try required(deviceTime, "deviceTime"),
            author: try required(author, "author"), device: try required(device, "device"))
    }
}

extension Operation {
    /// Reads an operation from its JSON (wire or canonical) form: the same
    /// result as `JSONDecoder` for every valid input, without its cost.
    public init(json bytes: UnsafeRawBufferPointer) throws(JSONReadError) {
        self = try JSONReader.read(Operation.self, from: bytes)
    }

    /// Reads an operation from its JSON (wire or canonical) form.
    public init(json bytes: [UInt8]) throws(JSONReadError) {
        self = try JSONReader.read(Operation.self, from: bytes)
    }
}
