extension String {
    /// Whether this field or member name is `name`, comparing lengths first:
    /// most candidates in a scan differ in length, and that skips a call into
    /// String comparison. Names are ASCII, so equal names have equal lengths.
    func isSameName(as name: String) -> Bool {
        utf8.count == name.utf8.count && self == name
    }
}
