public import CareModel
import Crypto

/// The server log's hash chain: every stored operation is linked to the one
/// stored before it, in sequence order.
///
/// `serverHash(n) = SHA-256(serverHash(n-1) ‖ opHash ‖ sequence ‖ receivedAt)` where
/// `serverHash(0)` is 32 zero bytes, `opHash` is the operation's 32-byte
/// replica-chain hash (``ChainedOperation/hash``), `sequence` is the operation's
/// log sequence number as 8 bytes big-endian, and `receivedAt` is the server's
/// receive time in Unix milliseconds as 8 bytes big-endian two's complement.
/// Changing, dropping, inserting or reordering a stored operation, or its
/// receive time, changes every server hash after it.
public enum ServerLogChain {
    /// The server hash before the first operation: 32 zero bytes.
    public static let genesis: [UInt8] = Array(repeating: 0, count: 32)

    /// The server hash of the operation stored at `sequence`, after `previous`.
    public static func link(
        previous: [UInt8], operationHash: OperationHash, sequence: UInt64, receivedAt: Int64
    ) -> [UInt8] {
        // Copied through its bytes: a digest's Sequence conformance copies byte by byte.
        hasher(previous: previous, operationHash: operationHash, sequence: sequence, receivedAt: receivedAt).finalize()
            .withUnsafeBytes { Array($0) }
    }

    /// Whether `serverHash` is the link of `previous` with the operation: the
    /// check an audit makes for every log entry, without allocating.
    public static func isLink(
        _ serverHash: [UInt8], previous: [UInt8], operationHash: OperationHash, sequence: UInt64, receivedAt: Int64
    ) -> Bool {
        hasher(previous: previous, operationHash: operationHash, sequence: sequence, receivedAt: receivedAt)
            .finalize().elementsEqual(serverHash)
    }

    private static func hasher(
        previous: [UInt8], operationHash: OperationHash, sequence: UInt64, receivedAt: Int64
    ) -> SHA256 {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: operationHash.bytes)
        withUnsafeBytes(of: sequence.bigEndian) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: receivedAt).bigEndian) { hasher.update(bufferPointer: $0) }
        return hasher
    }
}
