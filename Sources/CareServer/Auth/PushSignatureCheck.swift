import CareModel

/// The device's signature over the chain head a push ends at, checked against
/// the public key the device enrolled with before anything is stored.
///
/// A push that carries operations must carry its `head` and a signature whose
/// counter is the last operation's; the signed message is
/// ``ChainHeadSignature/message(replica:counter:head:)``. Together with the
/// planner's check that the stored chain ends at `head`, every stored operation
/// is covered by the device's own signature (see docs/ARCHITECTURE.md, "Signing
/// and audit").
enum PushSignatureCheck {
    /// Throws `missing_signature` (400) or `bad_signature` (403).
    static func check(_ push: PushRequest, device: DeviceSummary) throws(ServerError) {
        guard let last = push.operations.last else { return }
        guard let head = push.head else {
            throw ServerError(
                .missingSignature, "a push must carry the chain head after its last operation, signed by the device",
                field: "head", status: .badRequest)
        }
        guard let signature = push.signature else {
            throw ServerError(
                .missingSignature, "a push must carry the device's signature over its chain head",
                field: "signature", status: .badRequest)
        }
        guard signature.counter == last.id.counter else {
            throw ServerError(
                .badSignature, "the signature must cover the last operation of the push (counter \(last.id.counter))",
                field: "signature.counter", status: .forbidden)
        }
        guard signature.isValid(replica: push.replica, head: head, publicKey: device.publicKey) else {
            throw ServerError(
                .badSignature, "the signature is not this device's enrolled key's signature over the chain head",
                field: "signature.signature", status: .forbidden)
        }
    }
}
