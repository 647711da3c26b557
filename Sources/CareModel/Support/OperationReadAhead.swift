import CPrefetch

/// Starts loading, ahead of time, the memory the reducer reads first in an
/// operation: the storage of its changes and of its causal context, and then
/// the storage of its first change's value.
///
/// Each lives in a heap block of its own, away from the operation, so the
/// validator's first reads of them waited for memory (about a sixth of
/// reducing a large log, see docs/BENCHMARKS.md). Asking for them a few
/// operations ahead lets that wait overlap the work on the operations before.
///
/// Only hints: a prefetch never faults and changes no result, so reading an
/// array's storage address from the operation's bytes (below) is safe even
/// were the layout other than expected; it would only stop helping.
struct OperationReadAhead {
    /// Where an operation's changes and context are stored, in its bytes.
    private let changesOffset: Int
    private let contextOffset: Int
    /// Where the first change's value lies in the changes' storage object.
    private let firstValueOffset: Int
    /// The tag byte of a list and of an object value, where the layout is the
    /// expected one (a value's storage address in its first word, its case
    /// in its last byte); nil otherwise, and then values are not asked for.
    private let collectionTags: (list: UInt8, object: UInt8)?

    /// How many operations ahead to ask for the changes and the context:
    /// enough to cover a memory load while the reducer works on those before
    /// (about a microsecond each).
    static let distance = 4
    /// How many operations ahead to ask for the first change's value: read
    /// from the changes asked for `distance` ahead, which have arrived by now.
    static let valueDistance = 2

    /// An array is one reference to its storage object, whose elements
    /// follow a header of four words: class, reference counts, count (this
    /// offset), capacity.
    private static let arrayCountOffset = 16
    private static let arrayHeaderBytes = 32

    init() {
        // A `VersionVector` is its array of entries.
        changesOffset = MemoryLayout<Operation>.offset(of: \.changes) ?? 0
        contextOffset = MemoryLayout<Operation>.offset(of: \.context) ?? 0
        firstValueOffset = Self.arrayHeaderBytes + (MemoryLayout<Change>.offset(of: \.value) ?? 0)
        collectionTags = Self.collectionTags()
    }

    /// The tag bytes of `Value.list` and `Value.object`, if a list's first
    /// word is its storage's address and the tags tell the two apart from
    /// the other cases.
    private static func collectionTags() -> (list: UInt8, object: UInt8)? {
        let size = MemoryLayout<Value>.size
        guard size == 17 else { return nil }
        func tag(_ value: Value) -> UInt8 {
            withUnsafeBytes(of: value) { $0[size - 1] }
        }
        let elements: [Value] = [.null]
        let list = Value.list(elements)
        let storage = elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) - arrayHeaderBytes }
        let firstWord = withUnsafeBytes(of: list) { $0.load(as: UInt.self) }
        guard firstWord == UInt(bitPattern: storage) else { return nil }
        let tags = (list: tag(list), object: tag(.object(["a": .null])))
        let others = [tag(.null), tag(.bool(true)), tag(.int(1)), tag(.string("a"))]
        guard tags.list != tags.object, !others.contains(tags.list), !others.contains(tags.object) else { return nil }
        return tags
    }

    /// Asks for the storage of the changes and context of `operation`.
    func prefetch(_ operation: UnsafePointer<Operation>) {
        let bytes = UnsafeRawPointer(operation)
        // The storage objects' addresses, read as plain bits (no retain, so
        // no touch of the objects themselves).
        if let changes = bytes.load(fromByteOffset: changesOffset, as: UnsafeRawPointer?.self) {
            CPrefetch_read(changes)
            // Changes are several words each: the first ones spill into the next line.
            CPrefetch_read(changes + 64)
        }
        if let context = bytes.load(fromByteOffset: contextOffset, as: UnsafeRawPointer?.self) {
            CPrefetch_read(context)
            // Entries are three words: a context of two or three spills too.
            CPrefetch_read(context + 64)
        }
    }

    /// Asks for the storage of the first change's value of `operation`, if
    /// it is a list or an object (members and elements live there).
    func prefetchValue(_ operation: UnsafePointer<Operation>) {
        guard let tags = collectionTags,
            let changes = UnsafeRawPointer(operation).load(fromByteOffset: changesOffset, as: UnsafeRawPointer?.self)
        else { return }
        // An empty array's storage is a shared object with a count of zero.
        guard changes.load(fromByteOffset: Self.arrayCountOffset, as: Int.self) > 0 else { return }
        let value = changes + firstValueOffset
        let tag = value.load(fromByteOffset: MemoryLayout<Value>.size - 1, as: UInt8.self)
        guard tag == tags.list || tag == tags.object,
            let storage = value.load(as: UnsafeRawPointer?.self)
        else { return }
        // Four lines: a small object's members, keys then values, end at
        // about 230 bytes (a 64-byte header, four buckets of keys and values).
        for line in 0..<4 { CPrefetch_read(storage + line * 64) }
    }
}
