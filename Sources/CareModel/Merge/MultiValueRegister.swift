/// A multi-value register: keeps every value that no other write has seen.
///
/// Concurrent writes become siblings, all readable; the last in
/// ``FieldWrite/precedes(_:_:)`` order is shown as the winner, and more than one
/// sibling is a conflict. A write whose context contains all siblings resolves
/// the conflict. Because causal contexts are transitive (a writer that saw a
/// write also saw everything that write had seen), keeping only the maximal
/// writes gives the same result for any order of arrival.
public struct MultiValueRegister: Hashable, Sendable {
    /// The writes not superseded by any other, in winner order (winner last).
    public private(set) var siblings: [FieldWrite] = []
    /// Superseded writes, oldest first; kept only for fields that keep history.
    public private(set) var history: [FieldWrite] = []

    /// The deterministic winner among the siblings.
    public var winner: FieldWrite? { siblings.last }

    /// Whether concurrent values are waiting for someone to resolve them.
    public var isConflicted: Bool { siblings.count > 1 }

    mutating func apply(_ write: consuming FieldWrite, keepsHistory: Bool) {
        if siblings.contains(where: { $0.supersedes(write) }) {
            if keepsHistory { history.insertOrdered(write) }
            return
        }
        if siblings.count == 1 && write.supersedes(siblings[0]) {
            // The common case, a write replacing the one it had seen: in place,
            // without removing and inserting.
            if keepsHistory { history.insertOrdered(siblings[0]) }
            siblings[0] = write
            return
        }
        if keepsHistory {
            for sibling in siblings where write.supersedes(sibling) { history.insertOrdered(sibling) }
        }
        siblings.removeAll { write.supersedes($0) }
        siblings.insertOrdered(write)
    }
}
