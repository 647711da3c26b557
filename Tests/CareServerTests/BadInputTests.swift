import CareCompression
import CareModel
import CareServer
import Hummingbird
import Testing

@Suite("Bad bodies get a 4xx with a code and change nothing")
struct BadInputTests {
    private static func check(
        _ backend: TestBackend, _ body: [UInt8], status: HTTPResponse.Status, code: String,
        route: String = "/v1/push", headers: HTTPFields = [:]
    ) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            try await server.push(office, [try office.createVisit(team: "north", assigned: []).operation])
            let before = try await server.counts()
            let result = try await server.request(.post, route, token: office.token, body: body, headers: headers)
            #expect(result.status == status)
            #expect(result.errorCode == code)
            #expect(try await server.counts() == before)
        }
    }

    @Test("malformed JSON", arguments: TestBackend.all, ["/v1/push", "/v1/sync", "/v1/enrol"])
    func malformedJSON(backend: TestBackend, route: String) async throws {
        try await Self.check(backend, Array(#"{"replica": "#.utf8), status: .badRequest, code: "malformed_json", route: route)
    }

    @Test("wrong types", arguments: TestBackend.all)
    func wrongTypes(backend: TestBackend) async throws {
        try await Self.check(
            backend, Array(#"{"replica": 42, "operations": "many"}"#.utf8), status: .badRequest, code: "invalid_request")
        try await Self.check(
            backend, Array(#"{"after": "yesterday"}"#.utf8), status: .badRequest, code: "invalid_request", route: "/v1/sync")
    }

    @Test("an operation with a wrong type deep inside names the field", arguments: TestBackend.all)
    func wrongTypeInOperation(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let operation = try office.createVisit(team: "north", assigned: []).operation.operation
            var json = String(decoding: try JSONEncoderForTests.encode(office.pushRequest([])), as: UTF8.self)
            let encodedOperation = String(decoding: operation.canonicalBytes, as: UTF8.self)
                .replacingOccurrences(of: #""deviceTime":"#, with: #""deviceTime":"noon","ignored":"#)
            json = json.replacingOccurrences(of: #""operations":[]"#, with: #""operations":[\#(encodedOperation)]"#)
            let result = try await server.request(.post, "/v1/push", token: office.token, body: Array(json.utf8))
            #expect(result.status == .badRequest)
            #expect(result.errorCode == "invalid_request")
            #expect(try result.decode(ErrorBody.self).field == "operations[0].deviceTime")
            #expect(try await server.counts().operations == 0)
        }
    }

    @Test("a 20 MB body", arguments: TestBackend.all)
    func hugeBody(backend: TestBackend) async throws {
        var body = Array(#"{"replica":"00000000-0000-7000-8000-000000000000","operations":[],"padding":""#.utf8)
        body += [UInt8](repeating: UInt8(ascii: "x"), count: 20 * 1024 * 1024)
        body += Array(#""}"#.utf8)
        try await Self.check(backend, body, status: .contentTooLarge, code: "body_too_large")
    }

    static let gzipped: HTTPFields = [.contentEncoding: "gzip"]

    @Test(
        "a gzip bomb: 1 KB that inflates past the body limit",
        arguments: TestBackend.all, ["/v1/push", "/v1/sync"])
    func gzipBomb(backend: TestBackend, route: String) async throws {
        let bomb = Gzip.compress([UInt8](repeating: UInt8(ascii: " "), count: 9 * 1024 * 1024) + Array("{}".utf8))
        #expect(bomb.count < 64 * 1024)
        try await Self.check(backend, bomb, status: .contentTooLarge, code: "body_too_large", route: route, headers: Self.gzipped)
    }

    @Test("a gzip body cut short, and one that is not gzip at all", arguments: TestBackend.all)
    func corruptGzip(backend: TestBackend) async throws {
        let whole = Gzip.compress(Array(#"{"replica":"00000000-0000-7000-8000-000000000000","operations":[]}"#.utf8))
        try await Self.check(
            backend, Array(whole.dropLast(12)), status: .badRequest, code: "malformed_gzip", headers: Self.gzipped)
        try await Self.check(
            backend, Array(#"{"replica":"x"}"#.utf8), status: .badRequest, code: "malformed_gzip", headers: Self.gzipped)
    }

    @Test("a Content-Encoding other than gzip", arguments: TestBackend.all)
    func unsupportedEncoding(backend: TestBackend) async throws {
        try await Self.check(
            backend, Array("{}".utf8), status: .unsupportedMediaType, code: "unsupported_content_encoding",
            headers: [.contentEncoding: "br"])
    }

    @Test("a columns body whose indexes point nowhere names the column", arguments: TestBackend.all)
    func damagedColumns(backend: TestBackend) async throws {
        let body = #"{"replica":"00000000-0000-7000-8000-000000000000","operations":{"strings":[],"records":[],"replica":[3],"#
            + #""counter":[1],"kind":[1],"record":[0],"action":[0],"wall":[0],"logical":[0],"deviceTime":[0],"#
            + #""author":[1],"device":[1],"context":[[]],"changes":[[]],"texts":[]}}"#
        try await TestServer.run(backend) { server in
            let office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let result = try await server.request(
                .post, "/v1/push", token: office.token, body: Array(body.utf8),
                headers: [.contentType: WireFormat.columns.mediaType])
            #expect(result.status == .badRequest)
            #expect(result.errorCode == "invalid_request")
            #expect(try result.decode(ErrorBody.self).field == "operations.replica")
            #expect(try await server.counts().operations == 0)
        }
    }

    @Test("deeply nested JSON", arguments: TestBackend.all)
    func deeplyNested(backend: TestBackend) async throws {
        let depth = 100_000
        let body = [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        try await Self.check(backend, body, status: .badRequest, code: "nesting_too_deep")
    }

    @Test("a batch over the operation limit", arguments: TestBackend.all)
    func batchTooLarge(backend: TestBackend) async throws {
        try await TestServer.run(backend, configure: { $0.maximumBatchOperations = 2 }) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var operations: [ChainedOperation] = []
            for _ in 0..<3 { operations.append(try office.createVisit(team: "north", assigned: []).operation) }
            let before = try await server.counts()
            let result = try await server.request(
                .post, "/v1/push", token: office.token, json: office.pushRequest(operations))
            #expect(result.status == .contentTooLarge)
            #expect(result.errorCode == "batch_too_large")
            #expect(try await server.counts() == before)
        }
    }

    @Test("bad pull parameters and unknown routes", arguments: TestBackend.all)
    func badParameters(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let worker = try await server.enrol("worker-a", roles: [.careWorker])
            for uri in [
                "/v1/pull?after=-1", "/v1/pull?after=abc", "/v1/pull?limit=0", "/v1/pull?limit=100000",
                "/v1/pull?after=9223372036854775808", "/v1/pull?after=18446744073709551615",
            ] {
                let result = try await server.request(.get, uri, token: worker.token)
                #expect(result.status == .badRequest, "\(uri)")
                #expect(result.errorCode == "invalid_parameter", "\(uri)")
            }
            let missing = try await server.request(.get, "/v2/pull")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            // The last position a database holds is a cursor like any other.
            #expect(try await server.request(.get, "/v1/pull?after=9223372036854775807", token: worker.token).status == .ok)
        }
    }

    @Test(
        "numbers past what the databases store (2^63 and up) are refused with 400, store nothing, and the server goes on",
        arguments: TestBackend.all)
    func numbersPastSignedSixtyFourBits(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let before = try await server.counts()

            // A counter of 2^63 (the model allows any UInt64; the databases keep signed 64 bits).
            let huge = office.unvalidated(
                counter: 1 << 63, record: RecordRef(kind: .visit, id: TestDevice.newRecordID()),
                changes: [.set(Visit.Field.cancelled, true)])
            let push = try await server.request(
                .post, "/v1/push", token: office.token, json: office.pushRequest([huge], after: .genesis))
            #expect(push.status == .badRequest)
            #expect(push.errorCode == "invalid_request")
            #expect(try await server.counts() == before)

            // A sync whose cursor is past them: refused before its push is stored.
            let visit = try office.createVisit(team: "north", assigned: []).operation
            let sync = SyncRequest(push: office.pushRequest([visit]), after: 1 << 63)
            let refused = try await server.request(.post, "/v1/sync", token: office.token, json: sync)
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "invalid_parameter")
            #expect(try await server.counts() == before)

            #expect(try await server.request(.get, "/v1/health/live").status == .ok)
            let stored = try await server.request(
                .post, "/v1/sync", token: office.token, json: SyncRequest(push: office.pushRequest([visit]), after: 0))
            #expect(stored.status == .ok)
            #expect(try await server.counts().operations == before.operations + 1)
        }
    }
}

import Foundation

enum JSONEncoderForTests {
    static func encode(_ value: some Encodable) throws -> Data {
        try JSONEncoder().encode(value)
    }
}
