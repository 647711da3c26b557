extension OperationHash {
    /// 32 digest bytes stored inline, as four words in memory order: a hash
    /// is then a plain value, where an array of bytes was a heap block to
    /// allocate for each operation sealed and to free with it.
    struct Digest: Hashable, Sendable {
        /// The bytes, eight per word, in the words' memory (a tuple's elements
        /// are laid out in order, so the tuple's memory is the 32 bytes).
        private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        /// 32 zero bytes.
        init() {}

        /// The first 32 bytes of `raw` (the caller has checked there are 32).
        init(raw: UnsafeRawBufferPointer) {
            precondition(raw.count == 32, "a SHA-256 digest has 32 bytes")
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: raw) }
        }

        /// The bytes of `bytes` (the caller has checked there are 32).
        init(_ bytes: some Sequence<UInt8>) {
            let array = Array(bytes)
            self = array.withUnsafeBytes { Digest(raw: $0) }
        }

        func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            withUnsafeBytes(of: words, body)
        }

        static func == (lhs: Digest, rhs: Digest) -> Bool {
            lhs.words == rhs.words
        }

        func hash(into hasher: inout Hasher) {
            withBytes { hasher.combine(bytes: $0) }
        }
    }
}
