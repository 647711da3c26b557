import Crypto
public import Foundation

/// A device's Ed25519 signing key: signs the head of its replica's hash chain on
/// every push (see ``ChainHeadSignature``).
///
/// The key does not live in the device store: a device sends its public key at
/// enrolment, before its store exists (the store's identity needs the device id
/// that enrolment returns). The app generates the key, keeps the private half
/// in the platform's key store (the Keychain on iOS) and hands it to the sync
/// engine; ``rawRepresentation`` is what it saves.
public struct ChainHeadSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// The key saved earlier as ``rawRepresentation`` (32 bytes). Throws
    /// ``CareModelError`` `invalid_signing_key` for anything else.
    public init(rawRepresentation: some ContiguousBytes) throws(CareModelError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw CareModelError(.invalidSigningKey, "a device signing key is 32 bytes (an Ed25519 seed)")
        }
    }

    /// The private key's 32 bytes, to keep in the platform's key store.
    public var rawRepresentation: Data { key.rawRepresentation }

    /// The public key as enrolment sends it: 32 raw bytes, base64.
    public var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// Signs the chain head `head` of `replica` after its operation `counter`.
    public func sign(replica: ReplicaID, counter: UInt64, head: OperationHash) -> ChainHeadSignature {
        let message = ChainHeadSignature.message(replica: replica, counter: counter, head: head)
        // Signing with a valid key over a byte buffer does not fail in practice;
        // an empty signature would be refused by the server as `bad_signature`.
        let signature = (try? key.signature(for: message)) ?? Data()
        return ChainHeadSignature(counter: counter, signature: signature.base64EncodedString())
    }
}

extension ChainHeadSignature {
    /// Whether this is `publicKey`'s (32 raw bytes, base64) signature over the
    /// chain head `head` of `replica` after operation ``counter``.
    public func isValid(replica: ReplicaID, head: OperationHash, publicKey: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let signatureBytes = Data(base64Encoded: signature)
        else { return false }
        return key.isValidSignature(
            signatureBytes, for: ChainHeadSignature.message(replica: replica, counter: counter, head: head))
    }
}

extension PushRequest {
    /// The same request signed by `signer` over the chain head after its last
    /// operation (``head``). A request without operations or head is returned
    /// as it is.
    public func signed(by signer: ChainHeadSigner) -> PushRequest {
        guard let head, let last = operations.last else { return self }
        var request = self
        request.signature = signer.sign(replica: replica, counter: last.id.counter, head: head)
        return request
    }
}
