import CareModel
import Foundation
import Testing

/// The canonical encoding is a contract: the same operation must give the same
/// bytes, and so the same hash, on every platform and in every version. The
/// golden file holds the bytes and hashes of a fixed chain of operations.
@Suite("Canonical encoding")
struct CanonicalEncodingTests {
    /// A fixed chain covering every record kind, escapes, Unicode and nesting.
    static func goldenChain() throws -> [ChainedOperation] {
        var writer = Fixtures.writer(1, "w-ana")
        var state = CareState()
        var chain: [ChainedOperation] = []
        func write(_ record: RecordRef, _ action: Action, _ changes: [Change], at offset: Int64) throws {
            let context = state[record]?.version ?? VersionVector()
            let chained = try writer.write(record, action, changes, context: context, physicalMillis: Fixtures.start + offset)
            try state.apply(chained.operation)
            chain.append(chained)
        }
        try write(Fixtures.visit, .create, Fixtures.planVisit(workers: ["w-ana", "w-ben"]), at: 0)
        try write(Fixtures.visit, .update, [Fixtures.checkIn(), .set(Visit.Field.workerStatus, "arrived")], at: 0)
        try write(Fixtures.note, .create, Fixtures.newNote(text: "Said \"thanks\" \\ café 🙂\nTab\there \u{1} end"), at: 1_000)
        try write(Fixtures.report, .create, Fixtures.newReport(statement: "Pushed; <b>no</b> injury / bruise"), at: -60_000)
        try write(Fixtures.missedCall, .create, [
            .set(MissedCall.Field.visit, .string(Fixtures.visit.id.description)), .set(MissedCall.Field.reason, "declined"),
        ], at: 5_000)
        return chain
    }

    static let goldenPath = "Tests/CareModelTests/Golden/operations.golden"

    @Test("a fixed chain encodes and hashes to the checked-in golden bytes")
    func goldenBytes() throws {
        let lines = try Self.goldenChain().map { chained in
            chained.hash.hex + " " + String(decoding: chained.canonicalBytes, as: UTF8.self)
        }
        let text = lines.joined(separator: "\n") + "\n"
        let url = RepositoryFiles.url(Self.goldenPath)
        if RepositoryFiles.recording {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden)
    }

    @Test("the hash is SHA-256 of the previous hash and the canonical bytes, chained from 32 zero bytes")
    func chainLinks() throws {
        let chain = try Self.goldenChain()
        #expect(chain.first?.previous == .genesis)
        for (earlier, later) in zip(chain, chain.dropFirst()) {
            #expect(later.previous == earlier.hash)
        }
        // Re-sealing the same content after the same hash gives the same hash.
        let resealed = ChainedOperation(chain[2].operation, after: chain[1].hash)
        #expect(resealed.hash == chain[2].hash)
        // Any change of content, or of the previous hash, changes the hash.
        var altered = chain[2].operation
        altered.deviceTime += 1
        #expect(ChainedOperation(altered, after: chain[1].hash).hash != chain[2].hash)
        #expect(ChainedOperation(chain[2].operation, after: .genesis).hash != chain[2].hash)
        // Re-chaining after another hash equals sealing afresh after it.
        #expect(chain[2].rechained(after: .genesis) == ChainedOperation(chain[2].operation, after: .genesis))
        #expect(chain[2].rechained(after: chain[1].hash) == chain[2])
    }

    @Test("a hash's bytes, hex form and equality agree, whichever way it was made")
    func hashForms() throws {
        let chain = try Self.goldenChain()
        #expect(OperationHash.genesis.bytes == [UInt8](repeating: 0, count: 32))
        #expect(OperationHash.genesis.hex == String(repeating: "0", count: 64))
        for (previous, chained) in zip([OperationHash.genesis] + chain.map(\.hash), chain) {
            let hash = chained.hash
            #expect(hash.bytes.count == 32)
            #expect(OperationHash(bytes: hash.bytes) == hash)
            #expect(OperationHash(hex: hash.hex) == hash)
            #expect(OperationHash(hex: hash.hex.uppercased()) == hash)
            #expect(hash.isChaining(chained.canonicalBytes, after: previous))
            #expect(!hash.isChaining(chained.canonicalBytes, after: hash))
        }
        // Equal hashes hash equally; distinct ones stay distinct.
        let hashes = chain.map(\.hash)
        #expect(Set(hashes + hashes.map { OperationHash(bytes: $0.bytes)! }).count == hashes.count)
        #expect(OperationHash(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(OperationHash(bytes: [UInt8](repeating: 1, count: 33)) == nil)
        #expect(OperationHash(hex: String(repeating: "g", count: 64)) == nil)
    }

    @Test("decoding canonical bytes gives the same operation, which encodes to the same bytes")
    func roundTrip() throws {
        var history = HistoryGenerator(seed: 42)
        history.run(steps: 200)
        let decoder = JSONDecoder()
        for operation in history.log {
            let bytes = operation.canonicalBytes
            let decoded = try decoder.decode(CareModel.Operation.self, from: Data(bytes))
            #expect(decoded == operation)
            #expect(decoded.canonicalBytes == bytes)
        }
    }

    @Test("Foundation's JSONEncoder output decodes to the same operation")
    func foundationEncoderAgrees() throws {
        let chain = try Self.goldenChain()
        for chained in chain {
            let data = try JSONEncoder().encode(chained.operation)
            let decoded = try JSONDecoder().decode(CareModel.Operation.self, from: data)
            #expect(decoded.canonicalBytes == chained.canonicalBytes)
        }
    }

    @Test("canonical JSON escapes each character one way", arguments: [
        ("plain", #""plain""#), ("quote\"", #""quote\"""#), ("back\\", #""back\\""#), ("a/b", #""a/b""#),
        ("nl\n", #""nl\n""#), ("\u{1F}", #""\u001f""#), ("é🙂", "\"é🙂\""), ("\u{7F}", "\"\u{7F}\""),
    ])
    func escaping(input: String, expected: String) {
        var writer = CanonicalJSONWriter()
        writer.string(input)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test("objects are written with keys in byte order, integers exactly", arguments: [
        (Value.object(["b": 1, "a": [true, nil], "B": -9_223_372_036_854_775_808]), #"{"B":-9223372036854775808,"a":[true,null],"b":1}"#),
        (Value.int(Int64.max), "9223372036854775807"), (Value.int(0), "0"), (Value.list([]), "[]"),
        // Objects of up to two members are ordered without sorting: both orders, one, none.
        (Value.object(["z": 1, "y": "x"]), #"{"y":"x","z":1}"#), (Value.object(["y": "x", "z": 1]), #"{"y":"x","z":1}"#),
        (Value.object(["k": nil]), #"{"k":null}"#), (Value.object([:]), "{}"),
    ])
    func values(value: Value, expected: String) {
        var writer = CanonicalJSONWriter()
        writer.value(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test("unsigned integers are written with every digit, up to twenty", arguments: [
        (UInt64(0), "0"), (9, "9"), (10, "10"), (99, "99"), (100, "100"), (9_999_999_999_999_999_999, "9999999999999999999"),
        (10_000_000_000_000_000_000, "10000000000000000000"), (UInt64.max, "18446744073709551615"),
        // Written two digits at a time: odd and even lengths, zeros inside.
        (101, "101"), (1_000, "1000"), (12_345, "12345"), (1_763_856_000_007, "1763856000007"),
        (1_234_567_890_123_456, "1234567890123456"),
    ])
    func unsignedDigits(number: UInt64, expected: String) {
        var writer = CanonicalJSONWriter()
        writer.unsigned(number)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test("every power of ten, and the number before it, is written with the right number of digits")
    func digitCounts() {
        var power: UInt64 = 1
        for exponent in 0...19 {
            for number in [power - 1, power, power + 1] {
                var writer = CanonicalJSONWriter()
                writer.unsigned(number)
                #expect(String(decoding: writer.bytes, as: UTF8.self) == String(number), "10^\(exponent)")
            }
            if exponent < 19 { power *= 10 }
        }
    }

    @Test("a character to escape is found wherever it falls in the words the encoder scans", arguments: ["\"", "\\", "\n", "\u{0}", "\u{1F}"])
    func escapeAtEveryPosition(special: String) {
        // Strings of up to 24 bytes, with the character at every offset: in the
        // first, second or third eight-byte word, or in the bytes after them.
        let escaped = ["\"": #"\""#, "\\": #"\\"#, "\n": #"\n"#, "\u{0}": #"\u0000"#, "\u{1F}": #"\u001f"#][special]!
        for length in 1...24 {
            for offset in 0..<length {
                let before = String(repeating: "a", count: offset)
                let after = String(repeating: "é", count: (length - offset - 1) / 2) + String(repeating: "z", count: (length - offset - 1) % 2)
                var writer = CanonicalJSONWriter()
                writer.string(before + special + after)
                #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"" + before + escaped + after + "\"", "length \(length), offset \(offset)")
            }
        }
    }

    @Test("an operation whose strings need the longest escapes encodes in full and decodes back")
    func worstCaseEscapes() throws {
        // Every byte of the text is a control character, six bytes once escaped:
        // the worst case of the space the encoder reserves.
        let text = String(repeating: "\u{1}", count: 4_000)
        var writer = Fixtures.writer(1, "w-ana")
        var state = CareState()
        let operation = try writer.write(Fixtures.note, .create, Fixtures.newNote(text: text), into: &state)
        let bytes = operation.canonicalBytes
        #expect(String(decoding: bytes, as: UTF8.self).contains(String(repeating: #"\u0001"#, count: 4_000)))
        #expect(try CareModel.Operation(canonicalBytes: bytes) == operation)
        #expect(ChainedOperation(operation, after: .genesis).canonicalBytes == bytes)
    }

    @Test("operations on either side of the encoder's 1 KB first buffer encode the same, in full, with or without a previous hash")
    func firstBufferEdge() throws {
        // An operation is first encoded into a fixed buffer and, if it
        // overflows, again with its bound. Sealing puts a 32-byte hash before
        // it, so across these sizes one of the two encodings overflows where
        // the other does not; the escaped quotes near the end overflow it
        // after the string's first check.
        var writer = Fixtures.writer(1, "w-ana")
        func note(_ length: Int) throws -> CareModel.Operation {
            var state = CareState()
            let text = String(repeating: "a", count: max(0, length - 4)) + "\"x\"y"
            return try writer.write(Fixtures.note, .create, Fixtures.newNote(text: text), into: &state)
        }
        let overhead = try note(4).canonicalBytes.count - 4
        for length in (960 - overhead)...(1_060 - overhead) {
            let operation = try note(length)
            let bytes = operation.canonicalBytes
            #expect(ChainedOperation(operation, after: .genesis).canonicalBytes == bytes, "length \(length)")
            #expect(try CareModel.Operation(canonicalBytes: bytes) == operation, "length \(length)")
            #expect(String(decoding: bytes, as: UTF8.self).contains(#"a\"x\"y""#), "length \(length)")
        }
    }

    @Test("floating-point numbers are refused on the wire")
    func noFloats() {
        let json = #"{"f":"quantity","k":"set","v":1.5}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Change.self, from: Data(json.utf8)) }
    }
}
