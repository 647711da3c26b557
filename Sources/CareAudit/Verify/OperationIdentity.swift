import CareModel

/// The replica and counter of an operation, read straight from its canonical
/// bytes without decoding the rest.
///
/// The canonical encoding ends `,"id":{"c":<counter>,"r":"<replica>"},"record":{…}}`
/// (keys sorted; see `CanonicalJSONWriter.operation`), and no string can hold
/// `,"id":{"c":` unescaped, so the last occurrence is the operation's own id.
enum OperationIdentity {
    private static let marker = Array(#","id":{"c":"#.utf8)
    /// What follows the counter, before the replica's UUID.
    private static let replicaPrefix = Array(#","r":""#.utf8)

    static func read(_ body: [UInt8]) -> Dot? {
        body.withUnsafeBufferPointer { bytes -> Dot? in
            guard bytes.count > marker.count else { return nil }
            var start = bytes.count - marker.count
            search: while start >= 0 {
                for offset in 0..<marker.count where bytes[start + offset] != marker[offset] {
                    start -= 1
                    continue search
                }
                break
            }
            guard start >= 0 else { return nil }
            var index = start + marker.count
            var counter: UInt64 = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times10, overflow1) = counter.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                counter = sum
                digits += 1
                index += 1
            }
            let prefix = replicaPrefix
            guard digits > 0, index + prefix.count + 37 <= bytes.count else { return nil }
            for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return nil }
            index += prefix.count
            guard bytes[index + 36] == UInt8(ascii: "\"") else { return nil }
            guard let uuid = UUIDValue(utf8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[index..<(index + 36)]))) else {
                return nil
            }
            return Dot(replica: ReplicaID(uuid: uuid), counter: counter)
        }
    }
}
