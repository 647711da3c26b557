/// A list of operations laid out column by column: the `operations` member of
/// a push or a pull page in the ``WireFormat/columns`` wire format.
///
/// Same operations, fewer bytes, and bytes that compress better:
/// - every string an operation repeats (replica and device ids, worker names,
///   record kinds, actions, field names) is in ``strings`` once and referred to
///   by its index; record ids are in ``records``, in order of first use, so a
///   record's first operation says only "the next new one" (0);
/// - each column holds one kind of number, so similar bytes sit together, and
///   long texts (notes, statements) sit together in ``texts``;
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
    /// The record ids the operations change, each once, in order of first use.
    public var records: [String] = []
    /// Per operation: the index in ``strings`` of its replica id.
    public var replica: [Int] = []
    /// Per operation: its counter minus that of the replica's previous operation in the list (0 before the first).
    public var counter: [Int64] = []
    /// Per operation: 0 when its record kind is that of the record's previous
    /// operation in the list, else 1 + the index of the kind in ``strings``.
    public var kind: [Int] = []
    /// Per operation: 0 for the next record of ``records`` not used before
    /// (the record's first operation in the list), else 1 + the index in
    /// ``records`` of a record used before.
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
    /// Per operation, per change: a code — (the field's index in ``strings`` × 2,
    /// + 1 for an append) × 2, + 1 when the value is the next entry of ``texts`` —
    /// followed by the value unless it is in ``texts``.
    public var changes: [[Value]] = []
    /// String values of at least ``textMinimumBytes`` bytes, in order of use.
    public var texts: [String] = []

    /// Strings this long go to ``texts``: kept apart from numbers and short
    /// codes, prose compresses better (about 7% less on the reference workload).
    public static let textMinimumBytes = 40

    public init() {}

    /// Lays out `operations`, keeping their order.
    public init(_ operations: [Operation]) {
        var table = StringTable()
        var recordTable = StringTable()
        var replicas: [ReplicaID: ReplicaState] = [:]
        var recordStates: [RecordID: RecordState] = [:]
        for operation in operations {
            let previous = replicas[operation.id.replica]
            let recordPrevious = recordStates[operation.record.id]
            replica.append(table.index(operation.id.replica.description))
            counter.append(Int64(bitPattern: operation.id.counter &- (previous?.counter ?? 0)))
            kind.append(recordPrevious?.kind == operation.record.kind ? 0 : 1 + table.index(operation.record.kind.rawValue))
            let recordID = operation.record.id.description
            record.append(recordTable.contains(recordID) ? 1 + recordTable.index(recordID) : 0)
            _ = recordTable.index(recordID)
            action.append(table.index(operation.action.rawValue))
            wall.append(operation.timestamp.wallMillis &- (previous?.wall ?? 0))
            logical.append(operation.timestamp.logical)
            deviceTime.append(operation.deviceTime &- operation.timestamp.wallMillis)
            author.append(previous?.author == operation.author ? 0 : 1 + table.index(operation.author.rawValue))
            device.append(previous?.device == operation.device ? 0 : 1 + table.index(operation.device.description))
            context.append(
                Self.contextDelta(operation.context, from: recordPrevious?.baseline ?? VersionVector(), table: &table))
            var cells: [Value] = []
            for change in operation.changes {
                let code = (table.index(change.field) * 2 + (change.kind == .append ? 1 : 0)) * 2
                if case .string(let text) = change.value, text.utf8.count >= Self.textMinimumBytes {
                    cells.append(.int(Int64(code + 1)))
                    texts.append(text)
                } else {
                    cells += [.int(Int64(code)), change.value]
                }
            }
            changes.append(cells)
            replicas[operation.id.replica] = ReplicaState(
                counter: operation.id.counter, wall: operation.timestamp.wallMillis, author: operation.author,
                device: operation.device)
            var baseline = operation.context
            baseline.include(operation.id)
            recordStates[operation.record.id] = RecordState(kind: operation.record.kind, baseline: baseline)
        }
        strings = table.strings
        records = recordTable.strings
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
        var recordStates: [RecordID: RecordState] = [:]
        var operations: [Operation] = []
        operations.reserveCapacity(count)
        var recordsUsed = 0
        var textsUsed = 0
        for index in 0..<count {
            let replicaID = try reader.identifier(ReplicaID.self, replica[index], "replica")
            let previous = replicas[replicaID]
            let counterValue = (previous?.counter ?? 0) &+ UInt64(bitPattern: counter[index])
            guard counterValue > 0 else { throw Self.corrupt("counter", "gives a counter of 0") }
            let recordID = try reader.record(record[index], from: records, used: &recordsUsed)
            let recordKind = try reader.recordKind(kind[index], previous: recordStates[recordID]?.kind)
            let recordRef = RecordRef(kind: recordKind, id: recordID)
            let actionValue = try reader.action(action[index])
            let wallValue = (previous?.wall ?? 0) &+ wall[index]
            let authorValue = try reader.repeated(author[index], previous?.author, "author") { WorkerID($0) }
            let deviceValue = try reader.repeated(device[index], previous?.device, "device") { DeviceID($0) }
            let contextValue = try reader.context(context[index], baseline: recordStates[recordID]?.baseline ?? VersionVector())
            let changeValues = try reader.changes(changes[index], texts: texts, used: &textsUsed)
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
            recordStates[recordID] = RecordState(kind: recordKind, baseline: baseline)
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

    func contains(_ string: String) -> Bool { indexes[string] != nil }

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

    /// The record a ``OperationColumns/record`` code names; `used` counts the records introduced so far.
    func record(_ code: Int, from records: [String], used: inout Int) throws -> RecordID {
        let index = code == 0 ? used : code - 1
        guard index >= 0, index < (code == 0 ? records.count : used) else {
            throw OperationColumns.corrupt("record", "refers to record \(code) with \(used) of \(records.count) introduced")
        }
        if code == 0 { used += 1 }
        guard let id = RecordID(records[index]) else {
            throw OperationColumns.corrupt("record", "refers to a string that is not a valid record id")
        }
        return id
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

    /// The changes an operation's cells describe; `used` counts the ``OperationColumns/texts`` taken so far.
    func changes(_ cells: [Value], texts: [String], used: inout Int) throws -> [Change] {
        var changes: [Change] = []
        var position = 0
        while position < cells.count {
            guard let code = cells[position].intValue, code >= 0, let index = Int(exactly: code / 4) else {
                throw OperationColumns.corrupt("changes", "has a field that is not a string index")
            }
            let field = try string(index, "changes")
            let value: Value
            if code % 2 == 1 {
                guard used < texts.count else { throw OperationColumns.corrupt("changes", "uses more texts than there are") }
                value = .string(texts[used])
                used += 1
                position += 1
            } else {
                guard position + 1 < cells.count else { throw OperationColumns.corrupt("changes", "has a field without a value") }
                value = cells[position + 1]
                position += 2
            }
            changes.append(Change(field: field, kind: (code / 2) % 2 == 1 ? .append : .set, value: value))
        }
        return changes
    }
}
