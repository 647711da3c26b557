import CareModel
import Crypto
import Foundation
import Testing

/// Receipts on their own: signing a batch, checking it, and every kind of
/// tampering refused with its code.
@Suite("Signed receipts: Merkle proofs and signatures")
struct ReceiptTests {
    static let serverKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 3, count: 32))
    static let publicKey = ServerPublicKey(serverKey.publicKey)

    static func entries(_ count: Int) -> [ReceiptEntry] {
        (1...count).map { index in
            let hash = OperationHash(bytes: Array(SHA256.hash(data: Array("op \(index)".utf8))))!
            return ReceiptEntry(
                replica: Fixtures.replica(1), counter: UInt64(index), hash: hash, sequence: UInt64(100 + index),
                receivedAt: Fixtures.start + Int64(index))
        }
    }

    static func receipt(_ count: Int = 5, at index: Int = 2) throws -> OperationReceipt {
        try ReceiptBatch(signing: entries(count), with: serverKey)!.receipts(verifiedWith: publicKey)[index]
    }

    /// The code of the model error `body` throws; nil when it throws nothing.
    static func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as CareModelError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test("every receipt of batches of 1 to 33 entries verifies on its own", arguments: Array(1...33))
    func everyReceiptVerifies(size: Int) throws {
        let batch = try #require(ReceiptBatch(signing: Self.entries(size), with: Self.serverKey))
        let receipts = try batch.receipts(verifiedWith: Self.publicKey)
        #expect(receipts.map(\.entry) == batch.entries)
        #expect(Set(receipts.map(\.root)).count == 1)
        for receipt in receipts {
            try receipt.verify(with: Self.publicKey)
            // ⌈log₂ n⌉ hashes at most: a receipt stays small whatever the batch.
            #expect(receipt.path.count <= Int(ceil(log2(Double(size)))))
        }
    }

    @Test("a receipt survives a JSON round trip and still verifies")
    func jsonRoundTrip() throws {
        let receipt = try Self.receipt()
        let decoded = try JSONDecoder().decode(OperationReceipt.self, from: JSONEncoder().encode(receipt))
        #expect(decoded == receipt)
        try decoded.verify(with: Self.publicKey)
    }

    @Test("no entries, no batch")
    func emptyBatch() {
        #expect(ReceiptBatch(signing: [], with: Self.serverKey) == nil)
        #expect(Self.code { _ = try ReceiptBatch(entries: [], signature: "").receipts(verifiedWith: Self.publicKey) } == "invalid_receipt")
    }

    @Test("a tampered receipt fails, naming what is wrong")
    func tamperedReceipt() throws {
        let receipt = try Self.receipt()
        let cases: [(String, (inout OperationReceipt) -> Void, String)] = [
            ("sequence", { $0.entry.sequence += 1 }, "receipt_proof_mismatch"),
            ("receive time", { $0.entry.receivedAt -= 60_000 }, "receipt_proof_mismatch"),
            ("hash", { $0.entry.hash = OperationHash.genesis }, "receipt_proof_mismatch"),
            ("counter", { $0.entry.counter += 1 }, "receipt_proof_mismatch"),
            ("replica", { $0.entry.replica = Fixtures.replica(2) }, "receipt_proof_mismatch"),
            ("path", { $0.path[0] = String(repeating: "0", count: 64) }, "receipt_proof_mismatch"),
            ("index", { $0.index = 3 }, "receipt_proof_mismatch"),
            ("size", { $0.size = 4 }, "receipt_proof_mismatch"),
            ("root", { $0.root = String(repeating: "a", count: 64) }, "receipt_proof_mismatch"),
            ("signature", { $0.signature = Self.flipped($0.signature) }, "receipt_signature_invalid"),
            ("malformed root", { $0.root = "zz" }, "invalid_receipt"),
            ("index outside", { $0.index = 9 }, "invalid_receipt"),
        ]
        for (what, tamper, expected) in cases {
            var changed = receipt
            tamper(&changed)
            #expect(Self.code { try changed.verify(with: Self.publicKey) } == expected, "tampered \(what)")
        }
        let otherKey = ServerPublicKey(Curve25519.Signing.PrivateKey().publicKey)
        #expect(Self.code { try receipt.verify(with: otherKey) } == "receipt_signature_invalid")
    }

    @Test("a batch with an entry changed, removed, added or reordered fails as a whole")
    func tamperedBatch() throws {
        let batch = try #require(ReceiptBatch(signing: Self.entries(6), with: Self.serverKey))
        var cases: [(String, ReceiptBatch)] = []
        var changed = batch
        changed.entries[1].sequence += 1
        cases.append(("sequence changed", changed))
        changed = batch
        changed.entries.remove(at: 4)
        cases.append(("entry removed", changed))
        changed = batch
        changed.entries.append(Self.entries(7)[6])
        cases.append(("entry added", changed))
        changed = batch
        changed.entries.swapAt(0, 1)
        cases.append(("entries reordered", changed))
        changed = batch
        changed.signature = Self.flipped(batch.signature)
        cases.append(("signature changed", changed))
        for (what, tampered) in cases {
            #expect(
                Self.code { _ = try tampered.receipts(verifiedWith: Self.publicKey) } == "receipt_signature_invalid",
                "\(what)")
        }
    }

    @Test("a server key must be 32 bytes of base64")
    func serverKeyFormat() {
        #expect(Self.code { _ = try ServerPublicKey(base64: "not a key") } == "invalid_server_key")
        #expect(Self.code { _ = try ServerPublicKey(base64: Data(count: 31).base64EncodedString()) } == "invalid_server_key")
        #expect((try? ServerPublicKey(base64: Self.publicKey.base64)) == Self.publicKey)
    }

    /// `signature` (base64) with its first byte changed.
    static func flipped(_ signature: String) -> String {
        var bytes = Data(base64Encoded: signature)!
        bytes[0] ^= 0x01
        return bytes.base64EncodedString()
    }
}
