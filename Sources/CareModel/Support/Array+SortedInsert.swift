extension Array {
    /// Inserts `element` into this array, sorted by `precedes`, after the
    /// elements it does not precede. Looks from the end and appends when it sorts
    /// last: operations mostly arrive in order, and `append` is much cheaper than
    /// `insert(_:at:)`, which goes through `replaceSubrange`.
    mutating func insertSorted(_ element: consuming Element, by precedes: (Element, Element) -> Bool) {
        var index = endIndex
        while index > startIndex, precedes(element, self[index - 1]) { index -= 1 }
        insertOrAppend(element, at: index)
    }

    /// `insert(_:at:)`, with `append` when `index` is the end.
    mutating func insertOrAppend(_ element: consuming Element, at index: Int) {
        if index == endIndex { append(element) } else { insert(element, at: index) }
    }
}

extension Array {
    /// The index of the first element for which `isBefore` is false, in an
    /// array where it is true of a prefix (a binary search).
    func partitionIndex(where isBefore: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if isBefore(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
