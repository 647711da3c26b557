import CPrefetch

/// Starts loading, ahead of time, the memory the reducer reads first in an
/// operation: the storage of its changes and of its causal context.
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

    /// How many operations ahead to ask for: enough to cover a memory load
    /// while the reducer works on those before (about a microsecond each).
    static let distance = 4

    init() {
        // A `VersionVector` is its array of entries; an array, one reference
        // to its storage object, whose elements follow a 32-byte header.
        changesOffset = MemoryLayout<Operation>.offset(of: \.changes) ?? 0
        contextOffset = MemoryLayout<Operation>.offset(of: \.context) ?? 0
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
}
