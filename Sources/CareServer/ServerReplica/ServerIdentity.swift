public import CareModel
public import Crypto
import Foundation

/// The server's own replica: what it writes in its own name (overdue alerts,
/// escalations) goes through the same log, chain and signatures as a device's
/// operations, so an auditor checks it the same way.
///
/// Its Ed25519 key signs the replica's chain heads (like a device's key) and
/// the receipts the server returns. The identity lives in the database (table
/// `server_identity`), so every instance on one database is the same server,
/// and the replica is registered as a device of worker ``workerID``, so
/// `caresync audit verify` finds its public key with the others.
public struct ServerIdentity: Sendable {
    /// The worker the server writes as: reserved, never an admin's to manage.
    public static let workerID = WorkerID(unchecked: "caresync-server")

    public let replica: ReplicaID
    public let device: DeviceID
    public let signingKey: Curve25519.Signing.PrivateKey

    /// The worker the server's own writes are checked as: role ``Role/server`` only.
    public var worker: Worker { Worker(id: Self.workerID, roles: [.server], teams: []) }

    /// The public key, 32 raw bytes in base64 (as devices enrol theirs).
    public var publicKeyBase64: String { signingKey.publicKey.rawRepresentation.base64EncodedString() }

    /// Signs the server replica's chain heads, as a device's signer does.
    public var chainSigner: ChainHeadSigner {
        // A key read back from its own raw bytes is always a valid key.
        try! ChainHeadSigner(rawRepresentation: signingKey.rawRepresentation)
    }

    /// The identity stored in `storage`, created there on first use.
    public static func load(from storage: any SyncStorage, clock: any WallClock) async throws -> ServerIdentity {
        var generator = SystemRandomNumberGenerator()
        let now = clock.nowMillis()
        let candidate = StoredServerIdentity(
            replica: ReplicaID(uuid: .version7(unixMillis: now, using: &generator)),
            device: DeviceID(uuid: .version7(unixMillis: now, using: &generator)),
            privateKey: Array(Curve25519.Signing.PrivateKey().rawRepresentation), createdAt: now)
        let stored = try await storage.serverIdentity(creatingIfAbsent: candidate)
        return try ServerIdentity(stored)
    }

    init(_ stored: StoredServerIdentity) throws {
        replica = stored.replica
        device = stored.device
        do {
            signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: stored.privateKey)
        } catch {
            throw ServerError(
                .internalError, "the stored server key is not an Ed25519 key", status: .internalServerError)
        }
    }
}

extension StoredServerIdentity {
    /// The device row that registers the server's replica: its token hash is
    /// random bytes no token was ever issued for, so nobody can sign in as it.
    var deviceRow: (tokenHash: [UInt8], publicKey: String) {
        let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: privateKey)
        var generator = SystemRandomNumberGenerator()
        let tokenHash = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return (tokenHash, key?.publicKey.rawRepresentation.base64EncodedString() ?? "")
    }
}
