extension Array {
    /// Inserts `element` into this array, sorted by `precedes`, after the
    /// elements it does not precede. Looks from the end and appends when it sorts
    /// last: operations mostly arrive in order, and `append` is much cheaper than
    /// `insert(_:at:)`, which goes through `replaceSubrange`.
    mutating func insertSorted(_ element: Element, by precedes: (Element, Element) -> Bool) {
        var index = endIndex
        while index > startIndex, precedes(element, self[index - 1]) { index -= 1 }
        insertOrAppend(element, at: index)
    }

    /// `insert(_:at:)`, with `append` when `index` is the end.
    mutating func insertOrAppend(_ element: Element, at index: Int) {
        if index == endIndex { append(element) } else { insert(element, at: index) }
    }
}
