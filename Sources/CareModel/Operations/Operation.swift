/// A change to one record, written by one replica: the unit of sync.
///
/// An operation is what travels on the wire and what the log keeps. Its hash and
/// the hash of the previous operation of its replica are not part of it: they
/// follow from content (see ``ChainedOperation``), so a receiver recomputes them
/// instead of trusting the sender.
public struct Operation: Hashable, Sendable {
    /// The writing replica and its counter.
    public var id: Dot
    /// The record changed.
    public var record: RecordRef
    public var action: Action
    /// The changes, in the order the writer made them.
    public var changes: [Change]
    /// What the writer had seen of this record: its causal context.
    public var context: VersionVector
    /// The hybrid logical clock reading when the operation was written.
    public var timestamp: HLCTimestamp
    /// The writing device's own wall-clock reading, in Unix milliseconds: what
    /// the worker's phone said, kept as captured even when it is wrong.
    public var deviceTime: Int64
    /// The worker who wrote it.
    public var author: WorkerID
    /// The device it was written on.
    public var device: DeviceID

    public init(
        id: Dot, record: RecordRef, action: Action, changes: [Change], context: VersionVector,
        timestamp: HLCTimestamp, deviceTime: Int64, author: WorkerID, device: DeviceID
    ) {
        self.id = id
        self.record = record
        self.action = action
        self.changes = changes
        self.context = context
        self.timestamp = timestamp
        self.deviceTime = deviceTime
        self.author = author
        self.device = device
    }

    /// The canonical encoding: the bytes hashed and sent. Same operation, same
    /// bytes, on every platform.
    public var canonicalBytes: [UInt8] {
        withCanonicalBytes(after: UnsafeRawBufferPointer(start: nil, count: 0)) { _, own in Array(own) }
    }

    /// Encodes the operation in canonical form after `prefix`, in one temporary
    /// buffer, and passes `body` the prefix with the encoding, then the encoding
    /// alone: so that a hash chain can hash both in one call.
    func withCanonicalBytes<Result>(
        after prefix: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        // Most operations take a few hundred bytes: first into a buffer of a
        // fixed size, without walking the operation for its bound (a tenth of
        // sealing); only one that does not fit is written again with it.
        if let result = withCanonicalBytes(after: prefix, capacity: Self.commonEncodingCapacity, body) {
            return result
        }
        let capacity = prefix.count + CanonicalByteOutput.bound(of: self)
        guard let result = withCanonicalBytes(after: prefix, capacity: capacity, body) else {
            preconditionFailure("canonical output past its bound")
        }
        return result
    }

    /// A buffer that holds most operations with the previous hash before them,
    /// and small enough to be on the stack.
    private static let commonEncodingCapacity = 1_024

    /// As ``withCanonicalBytes(after:_:)``, in a buffer of `capacity` bytes;
    /// nil, without calling `body`, when the encoding does not fit.
    private func withCanonicalBytes<Result>(
        after prefix: UnsafeRawBufferPointer, capacity: Int,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var output = CanonicalByteOutput(buffer)
            output.bytes(prefix)
            output.operation(self)
            guard !output.overflowed else { return nil }
            let whole = output.written
            return body(whole, UnsafeBufferPointer(rebasing: whole[prefix.count...]))
        }
    }
}

extension Operation: Codable {
    enum CodingKeys: String, CodingKey {
        case action, author, changes, context, device, deviceTime, hlc, id, record
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Dot.self, forKey: .id)
        record = try container.decode(RecordRef.self, forKey: .record)
        action = try container.decode(Action.self, forKey: .action)
        changes = try container.decode([Change].self, forKey: .changes)
        context = try container.decodeIfPresent(VersionVector.self, forKey: .context) ?? VersionVector()
        timestamp = try container.decode(HLCTimestamp.self, forKey: .hlc)
        deviceTime = try container.decode(Int64.self, forKey: .deviceTime)
        author = try container.decode(WorkerID.self, forKey: .author)
        device = try container.decode(DeviceID.self, forKey: .device)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(action, forKey: .action)
        try container.encode(author, forKey: .author)
        try container.encode(changes, forKey: .changes)
        try container.encode(context, forKey: .context)
        try container.encode(device, forKey: .device)
        try container.encode(deviceTime, forKey: .deviceTime)
        try container.encode(timestamp, forKey: .hlc)
        try container.encode(id, forKey: .id)
        try container.encode(record, forKey: .record)
    }
}
