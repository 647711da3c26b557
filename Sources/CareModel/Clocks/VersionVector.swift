/// A vector clock: for each replica, the highest counter seen from it.
///
/// CareSync scopes vector clocks to one record: an operation's causal context is
/// what its writer had seen *of that record*, so a vector grows with the replicas
/// that touched the record (typically the assigned worker's phone and the office),
/// not with the fleet. Entries are kept sorted by replica, which makes comparison a
/// linear merge and the canonical encoding trivial.
public struct VersionVector: Hashable, Sendable {
    /// One replica's highest counter.
    public struct Entry: Hashable, Sendable {
        public var replica: ReplicaID
        public var counter: UInt64
    }

    /// How two vectors relate.
    public enum Ordering: Sendable, Hashable {
        /// Every entry of the left is at most the right's, and they differ.
        case before
        /// Every entry of the right is at most the left's, and they differ.
        case after
        case equal
        /// Each has seen something the other has not.
        case concurrent
    }

    /// The entries, sorted by replica, none with a zero counter.
    public private(set) var entries: [Entry]

    /// The empty vector: nothing seen.
    public init() {
        entries = []
    }

    /// A vector holding the given counters; zero counters are dropped.
    public init(_ counters: [ReplicaID: UInt64]) {
        entries = counters.filter { $0.value > 0 }
            .map { Entry(replica: $0.key, counter: $0.value) }
            .sorted { $0.replica < $1.replica }
    }

    /// The number of replicas with a non-zero counter.
    public var count: Int { entries.count }

    /// The highest counter seen from `replica`, 0 if none.
    public subscript(replica: ReplicaID) -> UInt64 {
        switch search(replica) {
        case .found(let index): entries[index].counter
        case .insertAt: 0
        }
    }

    /// Whether the operation `dot` is among what this vector has seen.
    public func contains(_ dot: Dot) -> Bool {
        self[dot.replica] >= dot.counter
    }

    /// Raises the entry of `dot`'s replica to at least `dot`'s counter.
    public mutating func include(_ dot: Dot) {
        include(dot, at: search(dot.replica))
    }

    /// ``include(_:)``, with the answer of `search(dot.replica)`.
    mutating func include(_ dot: Dot, at entry: SearchResult) {
        guard dot.counter > 0 else { return }
        switch entry {
        case .found(let index):
            entries[index].counter = max(entries[index].counter, dot.counter)
        case .insertAt(let index):
            entries.insertOrAppend(Entry(replica: dot.replica, counter: dot.counter), at: index)
        }
    }

    /// Makes room for `count` replicas without reallocating.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// Advances `replica`'s entry by one and returns the new dot.
    @discardableResult
    public mutating func increment(_ replica: ReplicaID) -> Dot {
        let dot = Dot(replica: replica, counter: self[replica] + 1)
        include(dot)
        return dot
    }

    /// Takes, entry by entry, the larger counter of `self` and `other`.
    public mutating func merge(_ other: VersionVector) {
        guard !other.entries.isEmpty else { return }
        guard !entries.isEmpty else {
            self = other
            return
        }
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + other.entries.count)
        var left = entries.startIndex
        var right = other.entries.startIndex
        while left < entries.endIndex || right < other.entries.endIndex {
            if right == other.entries.endIndex
                || (left < entries.endIndex && entries[left].replica < other.entries[right].replica)
            {
                merged.append(entries[left])
                left += 1
            } else if left == entries.endIndex || other.entries[right].replica < entries[left].replica {
                merged.append(other.entries[right])
                right += 1
            } else {
                merged.append(
                    Entry(
                        replica: entries[left].replica,
                        counter: max(entries[left].counter, other.entries[right].counter)))
                left += 1
                right += 1
            }
        }
        entries = merged
    }

    /// The vector that has seen everything either has seen.
    public func merging(_ other: VersionVector) -> VersionVector {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// How `self` relates to `other` in the happened-before order.
    public func compare(_ other: VersionVector) -> Ordering {
        var selfAhead = false
        var otherAhead = false
        var left = entries.startIndex
        var right = other.entries.startIndex
        while left < entries.endIndex || right < other.entries.endIndex {
            if right == other.entries.endIndex
                || (left < entries.endIndex && entries[left].replica < other.entries[right].replica)
            {
                selfAhead = true
                left += 1
            } else if left == entries.endIndex || other.entries[right].replica < entries[left].replica {
                otherAhead = true
                right += 1
            } else {
                let mine = entries[left].counter
                let theirs = other.entries[right].counter
                if mine > theirs { selfAhead = true }
                if theirs > mine { otherAhead = true }
                left += 1
                right += 1
            }
            if selfAhead && otherAhead { return .concurrent }
        }
        switch (selfAhead, otherAhead) {
        case (false, false): return .equal
        case (true, false): return .after
        case (false, true): return .before
        case (true, true): return .concurrent
        }
    }

    /// Where a replica's entry is in ``entries``, or where it would go.
    enum SearchResult {
        case found(Int)
        case insertAt(Int)
    }

    /// Finds `replica`'s entry.
    func search(_ replica: ReplicaID) -> SearchResult {
        let index = entries.partitionIndex { $0.replica < replica }
        return index < entries.endIndex && entries[index].replica == replica ? .found(index) : .insertAt(index)
    }
}

extension VersionVector: Codable {
    /// Encoded as a JSON object from replica id to counter.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: UInt64].self)
        var counters: [ReplicaID: UInt64] = [:]
        for (key, counter) in raw {
            guard let replica = ReplicaID(key) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "context keys must be replica UUIDs")
            }
            counters[replica] = counter
        }
        self.init(counters)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        var raw: [String: UInt64] = [:]
        for entry in entries { raw[entry.replica.description] = entry.counter }
        try container.encode(raw)
    }
}
