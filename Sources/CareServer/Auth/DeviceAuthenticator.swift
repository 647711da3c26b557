import CareModel
import Foundation
import Hummingbird

/// Turns a request's `Authorization: Bearer <token>` into the device credential
/// it stands for, or refuses it with a stable code.
struct DeviceAuthenticator: Sendable {
    let storage: any SyncStorage
    let clock: any WallClock

    func authenticate(_ request: Request) async throws -> DeviceCredential {
        guard let token = Self.bearerToken(request) else {
            throw ServerError(
                .missingCredential, "send the device credential as Authorization: Bearer <token>",
                status: .unauthorized)
        }
        guard let credential = try await storage.credential(tokenHash: Secrets.tokenHash(token)) else {
            throw ServerError(.unknownCredential, "the credential is not one this server issued", status: .unauthorized)
        }
        if credential.device.revokedAt != nil {
            throw ServerError(.deviceRevoked, "this device was revoked by an admin", status: .forbidden)
        }
        if credential.device.expiresAt <= clock.nowMillis() {
            throw ServerError(.expiredCredential, "the device credential has expired; enrol again", status: .unauthorized)
        }
        if !credential.worker.active {
            throw ServerError(.workerInactive, "the worker of this device is deactivated", status: .forbidden)
        }
        return credential
    }

    /// The token of an `Authorization: Bearer` header, if there is one.
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        let token = header.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// Checks the admin token of `/v1/admin/...` requests.
struct AdminAuthenticator: Sendable {
    let adminToken: String?

    func authenticate(_ request: Request) throws {
        guard let adminToken else {
            throw ServerError(
                .adminDisabled, "the admin API is off: start the server with --admin-token", status: .forbidden)
        }
        guard let token = DeviceAuthenticator.bearerToken(request) else {
            throw ServerError(
                .adminUnauthorized, "send the admin token as Authorization: Bearer <token>", status: .unauthorized)
        }
        // Compare digests so the time taken says nothing about the token.
        guard Secrets.tokenHash(token) == Secrets.tokenHash(adminToken) else {
            throw ServerError(.adminUnauthorized, "the admin token is wrong", status: .unauthorized)
        }
    }
}
