import CareModel
import Crypto
import Foundation
import Testing

/// A device's signing key: saved and loaded again, refused when it is not a
/// key, and its signatures over chain heads checked for what they bind.
@Suite("Device signing keys and chain-head signatures")
struct ChainHeadSignerTests {
    static let head = OperationHash(bytes: Array(SHA256.hash(data: Array("head".utf8))))!
    static let otherHead = OperationHash(bytes: Array(SHA256.hash(data: Array("other head".utf8))))!

    @Test("a key saved as its raw bytes loads as the same key")
    func savedKeyLoads() throws {
        let signer = ChainHeadSigner()
        let loaded = try ChainHeadSigner(rawRepresentation: signer.rawRepresentation)
        #expect(signer.rawRepresentation.count == 32)
        #expect(loaded.publicKeyBase64 == signer.publicKeyBase64)
        let signature = loaded.sign(replica: Fixtures.replica(1), counter: 7, head: Self.head)
        #expect(signature.isValid(replica: Fixtures.replica(1), head: Self.head, publicKey: signer.publicKeyBase64))
    }

    @Test("anything but 32 bytes is not a signing key: invalid_signing_key", arguments: [0, 1, 31, 33, 64])
    func wrongLength(count: Int) {
        do {
            _ = try ChainHeadSigner(rawRepresentation: [UInt8](repeating: 9, count: count))
            Issue.record("a \(count)-byte key was accepted")
        } catch {
            #expect(error.code == .invalidSigningKey)
            #expect(error.code.rawValue == "invalid_signing_key")
            #expect(error.message.contains("32 bytes"))
        }
    }

    @Test("a signature binds the replica, the counter, the chain head and the key")
    func signatureBindsItsMessage() throws {
        let signer = try ChainHeadSigner(rawRepresentation: [UInt8](repeating: 7, count: 32))
        let key = signer.publicKeyBase64
        let replica = Fixtures.replica(1)
        let signature = signer.sign(replica: replica, counter: 12, head: Self.head)
        #expect(signature.counter == 12)
        #expect(signature.isValid(replica: replica, head: Self.head, publicKey: key))

        #expect(!signature.isValid(replica: Fixtures.replica(2), head: Self.head, publicKey: key))
        #expect(!signature.isValid(replica: replica, head: Self.otherHead, publicKey: key))
        var otherCounter = signature
        otherCounter.counter = 13
        #expect(!otherCounter.isValid(replica: replica, head: Self.head, publicKey: key))
        #expect(!signature.isValid(replica: replica, head: Self.head, publicKey: ChainHeadSigner().publicKeyBase64))
        var tampered = signature
        tampered.signature = ReceiptTests.flipped(signature.signature)
        #expect(!tampered.isValid(replica: replica, head: Self.head, publicKey: key))
        #expect(!signature.isValid(replica: replica, head: Self.head, publicKey: "not base64"))
    }
}
