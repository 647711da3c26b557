import CareCompression
import CareModel
import CareServer
import Foundation
import Hummingbird
import Testing

/// gzip both ways and the columns wire format, on a real server; clients that
/// use neither are served as before.
@Suite("Wire: gzip and the columns format")
struct WireTests {
    static func body(_ message: some Encodable, format: WireFormat) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.userInfo[WireFormat.userInfoKey] = format
        return Array(try encoder.encode(message))
    }

    /// An office that planned five visits for worker-a, pushed in `format`
    /// (gzipped if asked), and worker-a's device.
    static func planned(
        on server: TestServer, format: WireFormat, gzip: Bool
    ) async throws -> (operations: [CareModel.Operation], worker: TestDevice) {
        var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
        let worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
        var chained: [ChainedOperation] = []
        for _ in 0..<5 { chained.append(try office.createVisit(team: "north", assigned: ["worker-a"]).operation) }
        var push = try body(office.pushRequest(chained), format: format)
        var headers: HTTPFields = [.contentType: format.mediaType]
        if gzip {
            push = Gzip.compress(push)
            headers[.contentEncoding] = "gzip"
        }
        let result = try await server.request(.post, "/v1/push", token: office.token, body: push, headers: headers)
        #expect(try result.decode(PushResponse.self).results.map(\.status) == Array(repeating: .stored, count: 5))
        return (chained.map(\.operation), worker)
    }

    @Test(
        "a gzipped columns push is stored; the pull comes back gzipped in columns and decodes to the same operations",
        arguments: TestBackend.all)
    func gzipColumnsRoundTrip(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let (operations, worker) = try await Self.planned(on: server, format: .columns, gzip: true)
            var accept: HTTPFields = [.accept: WireFormat.columns.mediaType]
            accept[.acceptEncoding] = "gzip, deflate"
            let pulled = try await server.request(.get, "/v1/pull?after=0", token: worker.token, headers: accept)
            #expect(pulled.status == .ok)
            #expect(pulled.headers[.contentEncoding] == "gzip")
            #expect(pulled.headers[.contentType] == WireFormat.columns.mediaType)
            let decoder = JSONDecoder()
            decoder.userInfo[WireFormat.userInfoKey] = WireFormat.columns
            let page = try decoder.decode(
                PullResponse.self, from: Data(try Gzip.decompress(pulled.body, maximumBytes: 1 << 20)))
            #expect(page.operations == operations)
        }
    }

    @Test(
        "a gzipped JSON sync request gets its push results and page; small answers are not compressed",
        arguments: TestBackend.all)
    func gzipSync(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let (operations, worker) = try await Self.planned(on: server, format: .json, gzip: true)
            let sync = Gzip.compress(try Self.body(SyncRequest(push: nil, after: 0), format: .json))
            let answer = try await server.request(
                .post, "/v1/sync", token: worker.token, body: sync,
                headers: [.contentEncoding: "gzip", .acceptEncoding: "gzip"])
            #expect(answer.headers[.contentEncoding] == "gzip")
            let response = try JSONDecoder().decode(
                SyncResponse.self, from: Data(try Gzip.decompress(answer.body, maximumBytes: 1 << 20)))
            #expect(response.pull.operations == operations)
            let small = try await server.request(
                .get, "/v1/pull?after=\(response.pull.nextCursor)", token: worker.token,
                headers: [.acceptEncoding: "gzip"])
            #expect(small.headers[.contentEncoding] == nil)
            #expect(try small.decode(PullResponse.self).operations.isEmpty)
        }
    }

    @Test(
        "a client that sends plain JSON and accepts no encoding gets plain JSON",
        arguments: TestBackend.all, ["identity", "gzip;q=0", nil])
    func plainClient(backend: TestBackend, acceptEncoding: String?) async throws {
        try await TestServer.run(backend) { server in
            let (operations, worker) = try await Self.planned(on: server, format: .json, gzip: false)
            var headers: HTTPFields = [:]
            if let acceptEncoding { headers[.acceptEncoding] = acceptEncoding }
            let pulled = try await server.request(.get, "/v1/pull?after=0", token: worker.token, headers: headers)
            #expect(pulled.headers[.contentEncoding] == nil)
            #expect(pulled.headers[.contentType] == "application/json")
            #expect(try pulled.decode(PullResponse.self).operations == operations)
        }
    }
}
