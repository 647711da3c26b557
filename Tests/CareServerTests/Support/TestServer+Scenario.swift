import CareModel
import CareServer
import Hummingbird
import Foundation
import Testing

/// Admin set-up and device sync, over HTTP, as a real deployment would do them.
extension TestServer {
    func createWorker(_ id: String, roles: [Role], teams: [String] = []) async throws {
        struct Body: Encodable {
            var roles: [Role]
            var teams: [String]
        }
        let result = try await request(
            .put, "/v1/admin/workers/\(id)", token: Self.adminToken, json: Body(roles: roles, teams: teams))
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
    }

    func enrolmentCode(for worker: String) async throws -> String {
        let result = try await request(.post, "/v1/admin/workers/\(worker)/enrolment-codes", token: Self.adminToken)
        guard result.status == .created else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return try result.decode(AdminService.IssuedCode.self).code
    }

    static let publicKey = TestDevice.signer.publicKeyBase64

    static func newReplica() -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        return ReplicaID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator))
    }

    /// Creates the worker if `roles` are given, issues a code and enrols a new device.
    func enrol(_ worker: String, roles: [Role]? = nil, teams: [String] = []) async throws -> TestDevice {
        if let roles { try await createWorker(worker, roles: roles, teams: teams) }
        let code = try await enrolmentCode(for: worker)
        let result = try await request(
            .post, "/v1/enrol",
            json: EnrolmentRequest(code: code, publicKey: Self.publicKey, replica: Self.newReplica()))
        guard result.status == .created else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return TestDevice(enrolment: try result.decode(EnrolmentResponse.self))
    }

    /// Pushes and expects a 200 with one result per operation.
    @discardableResult
    func push(_ device: TestDevice, _ operations: [ChainedOperation], head: Bool = true) async throws -> PushResponse {
        try await push(device, device.pushRequest(operations, head: head))
    }

    @discardableResult
    func push(_ device: TestDevice, _ push: PushRequest) async throws -> PushResponse {
        let result = try await request(.post, "/v1/push", token: device.token, json: push)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        let response = try result.decode(PushResponse.self)
        #expect(response.results.count == push.operations.count)
        return response
    }

    func pull(_ device: TestDevice, after cursor: UInt64, limit: Int? = nil) async throws -> PullResponse {
        let query = limit.map { "&limit=\($0)" } ?? ""
        let result = try await request(.get, "/v1/pull?after=\(cursor)\(query)", token: device.token)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return try result.decode(PullResponse.self)
    }

    /// Pulls page after page until nothing more waits; returns every operation and the last cursor.
    func pullAll(_ device: TestDevice, after cursor: UInt64 = 0, limit: Int? = nil) async throws
        -> (operations: [CareModel.Operation], cursor: UInt64)
    {
        var cursor = cursor
        var operations: [CareModel.Operation] = []
        while true {
            let page = try await pull(device, after: cursor, limit: limit)
            operations += page.operations
            #expect(page.nextCursor >= cursor)
            cursor = page.nextCursor
            if !page.hasMore { return (operations, cursor) }
        }
    }
}

extension PushResponse {
    var statuses: [OperationResult.Status] { results.map(\.status) }
    var codes: [String?] { results.map(\.error?.code) }
}
