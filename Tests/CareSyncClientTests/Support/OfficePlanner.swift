import CareModel
import CareSyncClient
import Foundation

/// The office's planning tool: an enrolled coordinator device that writes
/// visit plans with the model's ``LocalReplica`` and pushes each at once over
/// HTTP, for tests that need plans on the server without a coordinator's
/// device store (which plans with `CareStore.planVisit` and syncs).
actor OfficePlanner {
    let enrolment: EnrolmentResponse
    private var replica: LocalReplica
    private var now: Int64 = 1_767_225_600_000

    /// Enrols a new device for the existing coordinator `worker`.
    init(_ worker: String, on server: ClientTestServer) async throws {
        let code = try await server.enrolmentCode(for: worker)
        var generator = SystemRandomNumberGenerator()
        let replica = ReplicaID(uuid: .version7(unixMillis: now, using: &generator))
        enrolment = try await server.transport().enrol(
            EnrolmentRequest(code: code, publicKey: ClientDevice.publicKey, replica: replica))
        self.replica = LocalReplica(replica: enrolment.replica, device: enrolment.device, author: enrolment.worker)
    }

    /// Plans a visit and pushes it to `server`; fails unless the server stores it.
    func planVisit(team: String, resident: String = "resident-1", assigned: [String], on server: ClientTestServer)
        async throws -> RecordID
    {
        now += 1_000
        var generator = SystemRandomNumberGenerator()
        let id = RecordID(uuid: .version7(unixMillis: now, using: &generator))
        let operation = try replica.write(
            RecordRef(kind: .visit, id: id), .create,
            [
                .set(Visit.Field.resident, .string(resident)), .set(Visit.Field.team, .string(team)),
                .set(Visit.Field.assignedWorkers, .list(assigned.map { .string($0) })),
                .set(Visit.Field.scheduledStart, .int(1_767_258_000_000)),
                .set(Visit.Field.scheduledEnd, .int(1_767_259_800_000)),
            ], context: VersionVector(), physicalMillis: now)
        let response = try await server.transport(token: enrolment.token).push(
            PushRequest(replica: enrolment.replica, operations: [operation.operation], head: operation.hash)
                .signed(by: ClientDevice.signer))
        guard response.results.map(\.status) == [.stored] else { throw ClientTestError.planRefused }
        return id
    }
}
