/// Measures how deep JSON nests without parsing it, so that a body built to
/// exhaust the parser's stack is refused before any decoder sees it.
enum JSONDepthScanner {
    /// Whether `bytes` nests at most `limit` arrays and objects deep (strings and
    /// their escapes are skipped; malformed JSON is left to the decoder).
    static func nests(_ bytes: some Sequence<UInt8>, atMost limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
        }
        return true
    }
}
