/// The dots of the operations applied to one record: what the reducer checks
/// to ignore a duplicate.
///
/// Packed, one word a dot: in the high 16 bits the dot's replica as its
/// position among the record's replicas (the entries of the record's
/// ``VersionVector``, which has seen every applied dot, sorted by replica), in
/// the low 48 bits its counter. The words are kept sorted, which is (replica,
/// counter) order. A third of the size of a sorted array of dots (8 bytes a
/// dot instead of 24): a reduced state is mostly fresh memory, and each fresh
/// page costs a fault in the kernel (see docs/BENCHMARKS.md).
///
/// A counter of 2^48 or more (no device writes that many operations, but the
/// validator does not forbid one) or a 65,537th replica does not fit: from
/// then on it holds whole dots. The same set of dots always has the same
/// form, so equal states compare equal.
struct AppliedDots: Hashable, Sendable {
    private enum Storage: Hashable, Sendable {
        case packed([UInt64])
        case dots([Dot])
    }

    private static let counterBits = 48
    private static let counterMask: UInt64 = 1 << counterBits - 1
    /// How many replicas fit in the high bits.
    private static let packedReplicaLimit = 1 << (UInt64.bitWidth - counterBits)

    private var storage = Storage.packed([])

    /// How many dots.
    var count: Int {
        switch storage {
        case .packed(let words): words.count
        case .dots(let dots): dots.count
        }
    }

    /// Whether `dot` is among them; `replica` is where the record's version
    /// vector has (or would have) `dot`'s replica.
    func contains(_ dot: Dot, replica: VersionVector.SearchResult) -> Bool {
        switch storage {
        case .packed(let words):
            guard case .found(let position) = replica, dot.counter <= Self.counterMask else { return false }
            let word = Self.word(position, dot.counter)
            let index = words.partitionIndex { $0 < word }
            return index < words.endIndex && words[index] == word
        case .dots(let dots):
            let index = dots.partitionIndex { $0 < dot }
            return index < dots.endIndex && dots[index] == dot
        }
    }

    /// Adds `dot`, which is not among them. `version` is the record's version
    /// vector before it includes `dot`, and `replica` where it has (or would
    /// have) `dot`'s replica.
    mutating func insert(_ dot: Dot, replica: VersionVector.SearchResult, of version: VersionVector) {
        guard case .packed(var words) = storage else {
            insertWhole(dot)
            return
        }
        // Taken out, so that the array is not shared while it changes.
        storage = .packed([])
        let (position, isNewReplica) =
            switch replica {
            case .found(let position): (position, false)
            case .insertAt(let position): (position, true)
            }
        guard dot.counter <= Self.counterMask, !isNewReplica || version.count < Self.packedReplicaLimit else {
            storage = .dots(words.map { Self.dot($0, of: version) })
            insertWhole(dot)
            return
        }
        if words.isEmpty {
            // Records see tens of operations: one allocation, not a doubling series.
            words.reserveCapacity(16)
        }
        if isNewReplica {
            // The replicas from `position` on move up one place.
            let moved = words.partitionIndex { $0 < Self.word(position, 0) }
            for index in moved..<words.endIndex { words[index] += 1 << Self.counterBits }
        }
        let word = Self.word(position, dot.counter)
        words.insertOrAppend(word, at: words.partitionIndex { $0 < word })
        storage = .packed(words)
    }

    private mutating func insertWhole(_ dot: Dot) {
        guard case .dots(var dots) = storage else { return }
        storage = .dots([])
        dots.insertOrAppend(dot, at: dots.partitionIndex { $0 < dot })
        storage = .dots(dots)
    }

    private static func word(_ replica: Int, _ counter: UInt64) -> UInt64 {
        UInt64(replica) << counterBits | counter
    }

    private static func dot(_ word: UInt64, of version: VersionVector) -> Dot {
        Dot(replica: version.entries[Int(word >> counterBits)].replica, counter: word & counterMask)
    }
}
