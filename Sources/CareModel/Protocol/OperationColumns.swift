/// A list of operations laid out column by column: the `operations` member of
/// a push or a pull page in the ``WireFormat/columns`` wire format.
///
/// Same operations, fewer bytes, and bytes that compress better:
/// - every string an operation repeats (replica, device and record ids, worker
///   names, record kinds, actions, field names) is in ``strings`` once and
///   referred to by its index;
/// - each column holds one kind of number, so similar bytes sit together;
/// - counters and clock readings are deltas from the previous operation of the
///   same replica in the list (a batch's counters become 1, 1, 1, …);
/// - author, device and record kind are 0 when they repeat what the replica
///   (or the record) had in its previous operation in the list;
/// - a context lists only the entries that differ from the record's previous
///   operation in the list, merged with that operation's id — what a writer
///   that saw that operation has as its context.
///
/// Hashes never travel: the receiver recomputes them. Decoding checks every
/// index and length and throws a `DecodingError` naming the column.
public struct OperationColumns: Codable, Sendable, Hashable {
    /// The strings the other columns refer to, each once, in order of first use.
    public var strings: [String] = []
    /// Per operation: the index in ``strings`` of its replica id.
    public var replica: [Int] = []
    /// Per operation: its counter minus that of the replica's previous operation in the list (0 before the first).
    public var counter: [Int64] = []
    /// Per operation: 0 when its record kind is that of the record's previous
    /// operation in the list, else 1 + the index of the kind in ``strings``.
    public var kind: [Int] = []
    /// Per operation: the index in ``strings`` of its record id.
    public var record: [Int] = []
    /// Per operation: the index in ``strings`` of its action.
    public var action: [Int] = []
    /// Per operation: its hybrid clock's wall milliseconds minus those of the replica's previous operation (0 before the first).
    public var wall: [Int64] = []
    /// Per operation: its hybrid clock's logical counter.
    public var logical: [UInt32] = []
    /// Per operation: its device time minus its hybrid clock's wall milliseconds.
    public var deviceTime: [Int64] = []
    /// Per operation: 0 when its author is that of the replica's previous operation, else 1 + its index in ``strings``.
    public var author: [Int] = []
    /// Per operation: 0 when its device is that of the replica's previous operation, else 1 + its index in ``strings``.
    public var device: [Int] = []
    /// Per operation: pairs (replica index in ``strings``, counter) of the context
    /// entries that differ from the baseline (the record's previous operation's
    /// context with that operation's id; empty before the record's first); a
    /// counter of 0 removes the baseline's entry.
    public var context: [[UInt64]] = []
    /// Per operation: pairs (field index in ``strings`` × 2, + 1 for an append; the value).
    public var changes: [[Value]] = []

    public init() {}

    /// Lays out `operations`, keeping their order.
    public init(_ operations: [Operation]) {
        var table = StringTable()
        var replicas: [ReplicaID: ReplicaState] = [:]
        var records: [RecordID: RecordState] = [:]
        for operation in operations {
            let previous = replicas[operation.id.replica]
            let recordPrevious = records[operation.record.id]
            replica.append(table.index(operation.id.replica.description))
            counter.append(Int64(bitPattern: operation.id.counter &- (previous?.counter ?? 0)))
            kind.append(recordPrevious?.kind == operation.record.kind ? 0 : 1 + table.index(operation.record.kind.rawValue))
            record.append(table.index(operation.record.id.description))
            action.append(table.index(operation.action.rawValue))
            wall.append(operation.timestamp.wallMillis &- (previous?.wall ?? 0))
            logical.append(operation.timestamp.logical)
            deviceTime.append(operation.deviceTime &- operation.timestamp.wallMillis)
            author.append(previous?.author == operation.author ? 0 : 1 + table.index(operation.author.rawValue))
            device.append(previous?.device == operation.device ? 0 : 1 + table.index(operation.device.description))
            context.append(
                Self.contextDelta(operation.context, from: recordPrevious?.baseline ?? VersionVector(), table: &table))
            changes.append(
                operation.changes.flatMap { change -> [Value] in
                    let fieldAndKind = table.index(change.field) * 2 + (change.kind == .append ? 1 : 0)
                    return [.int(Int64(fieldAndKind)), change.value]
                })
            replicas[operation.id.replica] = ReplicaState(
                counter: operation.id.counter, wall: operation.timestamp.wallMillis, author: operation.author,
                device: operation.device)
            var baseline = operation.context
            baseline.include(operation.id)
            records[operation.record.id] = RecordState(kind: operation.record.kind, baseline: baseline)
        }
        strings = table.strings
    }

    /// The operations, in their order.
    public func operations() throws -> [Operation] {
        let count = replica.count
        let columns: [(String, Int)] = [
            ("counter", counter.count), ("kind", kind.count), ("record", record.count), ("action", action.count),
            ("wall", wall.count), ("logical", logical.count), ("deviceTime", deviceTime.count),
            ("author", author.count), ("device", device.count), ("context", context.count),
            ("changes", changes.count),
        ]
        for (name, length) in columns where length != count {
            throw Self.corrupt(name, "has \(length) entries for \(count) operations")
        }
        let reader = StringReader(strings: strings)
        var replicas: [ReplicaID: ReplicaState] = [:]
        var records: [RecordID: RecordState] = [:]
        var operations: [Operation] = []
        operations.reserveCapacity(count)
        for index in 0..<count {
            let replicaID = try reader.identifier(ReplicaID.self, replica[index], "replica")
            let previous = replicas[replicaID]
            let counterValue = (previous?.counter ?? 0) &+ UInt64(bitPattern: counter[index])
            guard counterValue > 0 else { throw Self.corrupt("counter", "gives a counter of 0") }
            let recordID = try reader.identifier(RecordID.self, record[index], "record")
            let recordKind = try reader.recordKind(kind[index], previous: records[recordID]?.kind)
            let recordRef = RecordRef(kind: recordKind, id: recordID)
            let actionValue = try reader.action(action[index])
            let wallValue = (previous?.wall ?? 0) &+ wall[index]
            let authorValue = try reader.repeated(author[index], previous?.author, "author") { WorkerID($0) }
            let deviceValue = try reader.repeated(device[index], previous?.device, "device") { DeviceID($0) }
            let contextValue = try reader.context(context[index], baseline: records[recordID]?.baseline ?? VersionVector())
            let changeValues = try reader.changes(changes[index])
            let operation = Operation(
                id: Dot(replica: replicaID, counter: counterValue), record: recordRef, action: actionValue,
                changes: changeValues, context: contextValue,
                timestamp: HLCTimestamp(wallMillis: wallValue, logical: logical[index]),
                deviceTime: wallValue &+ deviceTime[index], author: authorValue, device: deviceValue)
            operations.append(operation)
            replicas[replicaID] = ReplicaState(
                counter: counterValue, wall: wallValue, author: authorValue, device: deviceValue)
            var baseline = contextValue
            baseline.include(operation.id)
            records[recordID] = RecordState(kind: recordKind, baseline: baseline)
        }
        return operations
    }

    /// The entries of `context` that differ from `baseline`, as (string index, counter) pairs.
    private static func contextDelta(
        _ context: VersionVector, from baseline: VersionVector, table: inout StringTable
    ) -> [UInt64] {
        var pairs: [UInt64] = []
        for entry in context.entries where baseline[entry.replica] != entry.counter {
            pairs += [UInt64(table.index(entry.replica.description)), entry.counter]
        }
        for entry in baseline.entries where context[entry.replica] == 0 {
            pairs += [UInt64(table.index(entry.replica.description)), 0]
        }
        return pairs
    }

    static func corrupt(_ column: String, _ problem: String) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: [ColumnKey(stringValue: column)], debugDescription: "the column \(column) \(problem)"))
    }

    /// What the layout remembers of a replica's previous operation.
    private struct ReplicaState {
        var counter: UInt64
        var wall: Int64
        var author: WorkerID
        var device: DeviceID
    }

    /// What the layout remembers of a record's previous operation.
    private struct RecordState {
        var kind: RecordKind
        var baseline: VersionVector
    }

    private struct ColumnKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Gives each distinct string an index, in order of first use.
private struct StringTable {
    private(set) var strings: [String] = []
    private var indexes: [String: Int] = [:]

    mutating func index(_ string: String) -> Int {
        if let index = indexes[string] { return index }
        indexes[string] = strings.count
        strings.append(string)
        return strings.count - 1
    }
}

/// Turns the indexes of an ``OperationColumns`` back into values, checking each.
private struct StringReader {
    let strings: [String]

    func string(_ index: Int, _ column: String) throws -> String {
        guard strings.indices.contains(index) else {
            throw OperationColumns.corrupt(column, "refers to string \(index) of \(strings.count)")
        }
        return strings[index]
    }

    func identifier<ID: LosslessStringConvertible>(_ type: ID.Type, _ index: Int, _ column: String) throws -> ID {
        guard let value = ID(try string(index, column)) else {
            throw OperationColumns.corrupt(column, "refers to a string that is not a valid \(column) id")
        }
        return value
    }

    /// A value that is 0 for "as before", else 1 + a string index.
    func repeated<Value>(
        _ code: Int, _ previous: Value?, _ column: String, _ parse: (String) -> Value?
    ) throws -> Value {
        if code == 0 {
            guard let previous else { throw OperationColumns.corrupt(column, "repeats a value before giving one") }
            return previous
        }
        guard let value = parse(try string(code - 1, column)) else {
            throw OperationColumns.corrupt(column, "refers to a string that is not a valid \(column)")
        }
        return value
    }

    func recordKind(_ code: Int, previous: RecordKind?) throws -> RecordKind {
        try repeated(code, previous, "kind") { raw in RecordKind.all.first { $0.rawValue == raw } }
    }

    func action(_ index: Int) throws -> Action {
        let raw = try string(index, "action")
        guard let action = [Action.create, .update, .delete].first(where: { $0.rawValue == raw }) else {
            throw OperationColumns.corrupt("action", "refers to \"\(raw)\", which is not an action")
        }
        return action
    }

    func context(_ pairs: [UInt64], baseline: VersionVector) throws -> VersionVector {
        guard pairs.count % 2 == 0 else { throw OperationColumns.corrupt("context", "has an entry without a counter") }
        var counters: [ReplicaID: UInt64] = [:]
        for entry in baseline.entries { counters[entry.replica] = entry.counter }
        for start in stride(from: 0, to: pairs.count, by: 2) {
            guard let index = Int(exactly: pairs[start]) else {
                throw OperationColumns.corrupt("context", "refers to string \(pairs[start])")
            }
            counters[try identifier(ReplicaID.self, index, "context")] = pairs[start + 1]
        }
        return VersionVector(counters)
    }

    func changes(_ cells: [Value]) throws -> [Change] {
        guard cells.count % 2 == 0 else { throw OperationColumns.corrupt("changes", "has a field without a value") }
        return try stride(from: 0, to: cells.count, by: 2).map { start in
            guard let code = cells[start].intValue, code >= 0, let index = Int(exactly: code / 2) else {
                throw OperationColumns.corrupt("changes", "has a field that is not a string index")
            }
            let field = try string(index, "changes")
            return Change(field: field, kind: code % 2 == 1 ? .append : .set, value: cells[start + 1])
        }
    }
}
