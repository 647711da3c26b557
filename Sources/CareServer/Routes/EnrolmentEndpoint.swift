import CareModel
import Foundation
import Hummingbird

/// `POST /v1/enrol`: a device exchanges a one-time code, its public key and its
/// replica id for a device credential.
struct EnrolmentEndpoint: Sendable {
    let storage: any SyncStorage
    let configuration: ServerConfiguration
    let clock: any WallClock
    let secrets: Secrets
    let bodyReader: RequestBodyReader
    /// The server's public key (base64), given to the device to check receipts with.
    let serverKey: String

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.post, "/v1/enrol") { request, context in
            let enrolment = try await bodyReader.decode(EnrolmentRequest.self, from: request)
            guard let key = Data(base64Encoded: enrolment.publicKey), key.count == 32 else {
                throw ServerError(
                    .invalidPublicKey, "publicKey must be a 32-byte Ed25519 key in base64", field: "publicKey",
                    status: .badRequest)
            }
            let now = clock.nowMillis()
            let token = secrets.deviceToken()
            let bits = secrets.uuidBits()
            var generator = FixedBitsGenerator(bits: bits)
            let device = DeviceID(uuid: UUIDValue.version7(unixMillis: now, using: &generator))
            let summary = try await storage.enrol(
                EnrolmentClaim(
                    codeHash: Secrets.enrolmentCodeHash(enrolment.code), device: device, replica: enrolment.replica,
                    publicKey: enrolment.publicKey, tokenHash: Secrets.tokenHash(token), enrolledAt: now,
                    expiresAt: now + configuration.credentialLifetimeSeconds * 1000))
            context.logger.info(
                "device enrolled", metadata: ["device": "\(summary.device)", "worker": "\(summary.worker)"])
            return try JSONResponse.encode(
                EnrolmentResponse(
                    device: summary.device, worker: summary.worker, replica: summary.replica, token: token,
                    expiresAt: summary.expiresAt, serverKey: serverKey),
                status: .created)
        }
    }
}

/// Hands out two given 64-bit words, for building a UUIDv7 from secret random bits.
struct FixedBitsGenerator: RandomNumberGenerator {
    var bits: (high: UInt64, low: UInt64)
    private var index = 0

    init(bits: (high: UInt64, low: UInt64)) {
        self.bits = bits
    }

    mutating func next() -> UInt64 {
        defer { index += 1 }
        return index % 2 == 0 ? bits.high : bits.low
    }
}
